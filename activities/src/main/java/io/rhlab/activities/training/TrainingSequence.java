package io.rhlab.activities.training;

import java.util.ArrayList;
import java.util.List;

/**
 * A training text in segments, each either a loss target or context. A {@link TrainingExample} is
 * the common case of two segments (prompt: context, answer: target); the curriculum uses more, for
 * instance to leave out of the loss the key digits of its query lines, which are drawn at random and
 * cannot be predicted (their gradients would be pure noise).
 *
 * <p>Segments are tokenized separately and concatenated, so a boundary should fall between a
 * letter and a non-letter (with the synthetic tokenizer a word cut in two would become letters).
 * The encoded row is {@code [bos] segments... [eos]}; the eos is a target.
 *
 * @param segments at least one segment, at least one of them a non-empty target
 */
public record TrainingSequence(List<Segment> segments) {

  /**
   * A piece of text.
   *
   * @param text the text, may be empty
   * @param target whether its tokens are loss targets
   */
  public record Segment(String text, boolean target) {
    /** Rejects null text. */
    public Segment {
      if (text == null) {
        throw new IllegalArgumentException("segment text must not be null");
      }
    }
  }

  /** Copies the list and checks there is a non-empty target. */
  public TrainingSequence {
    segments = List.copyOf(segments);
    if (segments.stream().noneMatch(s -> s.target() && !s.text().isEmpty())) {
      throw new IllegalArgumentException("a training sequence needs a non-empty target segment");
    }
  }

  /** Builds a sequence segment by segment. */
  public static final class Builder {
    private final List<Segment> segments = new ArrayList<>();

    /** Appends context (no loss). */
    public Builder context(String text) {
      segments.add(new Segment(text, false));
      return this;
    }

    /** Appends a loss target. */
    public Builder target(String text) {
      segments.add(new Segment(text, true));
      return this;
    }

    /** The sequence. */
    public TrainingSequence build() {
      return new TrainingSequence(segments);
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The whole text, segments joined. */
  public String text() {
    StringBuilder text = new StringBuilder();
    segments.forEach(s -> text.append(s.text()));
    return text.toString();
  }
}
