package io.rhlab.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

  // peak 1e-3, floor 10% (1e-4), 10 warm-up steps, 110 steps: cosine over 100 steps.
  private final LrSchedule schedule = new LrSchedule(1e-3, 0.1, 10, 110);

  @Test
  void at_warmupIsLinearFromOneStep() {
    assertEquals(1e-4, schedule.at(0), 1e-15); // 1e-3 * 1/10
    assertEquals(5e-4, schedule.at(4), 1e-15); // 1e-3 * 5/10
    assertEquals(9e-4, schedule.at(8), 1e-15);
  }

  @Test
  void at_cosineFromPeakToFloor() {
    assertEquals(1e-3, schedule.at(10), 1e-15); // progress 0
    // progress 0.25: 1e-4 + 9e-4 * (1 + cos(pi/4)) / 2 = 1e-4 + 9e-4 * 0.853553390593 = 8.68198e-4
    assertEquals(8.681980515339464e-4, schedule.at(35), 1e-15);
    assertEquals(5.5e-4, schedule.at(60), 1e-15); // progress 0.5: midway
    // progress 0.75: 1e-4 + 9e-4 * 0.146446609407 = 2.318019e-4
    assertEquals(2.3180194846605362e-4, schedule.at(85), 1e-15);
    assertEquals(1e-4, schedule.at(110), 1e-15); // progress 1: the floor
    assertEquals(1e-4, schedule.at(500), 1e-15); // past the end: stays at the floor
  }

  @Test
  void at_noWarmupStartsAtPeak() {
    LrSchedule flat = new LrSchedule(2e-3, 0.0, 0, 4);
    assertEquals(2e-3, flat.at(0), 1e-15);
    assertEquals(1e-3, flat.at(2), 1e-15); // progress 0.5, floor 0
    assertEquals(0.0, flat.at(4), 1e-15);
  }

  @Test
  void at_negativeStep() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> schedule.at(-1));
    assertEquals("step must be >= 0, got -1", e.getMessage());
  }
}
