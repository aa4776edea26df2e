package io.rhlab.activities.analysis;

/**
 * A count of correct answers.
 *
 * @param correct answers judged correct
 * @param total answers judged
 */
public record Accuracy(int correct, int total) {

  /** Requires 0 <= correct <= total. */
  public Accuracy {
    if (total < 0 || correct < 0 || correct > total) {
      throw new IllegalArgumentException(
          "accuracy needs 0 <= correct <= total, got " + correct + "/" + total);
    }
  }

  /** correct / total, or NaN when nothing was judged. */
  public double value() {
    return total == 0 ? Double.NaN : (double) correct / total;
  }

  /** This count with one more answer. */
  public Accuracy plus(boolean isCorrect) {
    return new Accuracy(correct + (isCorrect ? 1 : 0), total + 1);
  }
}
