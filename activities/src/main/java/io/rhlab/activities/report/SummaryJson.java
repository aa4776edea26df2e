package io.rhlab.activities.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The summary as indented JSON with sorted map keys, so equal findings give equal bytes. */
public final class SummaryJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private SummaryJson() {}

  public static String write(ExperimentSummary summary) {
    try {
      return JSON.writeValueAsString(summary);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("summary is not serializable", e);
    }
  }

  public static ExperimentSummary read(String json) {
    try {
      return JSON.readValue(json, ExperimentSummary.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a report summary: " + e.getOriginalMessage(), e);
    }
  }
}
