package io.rhlab.workflows.activities;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.rhlab.workflows.spec.KvRetrievalData;
import io.rhlab.workflows.spec.TaskData;

/**
 * Asks for a dataset to be generated and stored.
 *
 * @param experimentId the experiment workflow id
 * @param variant the variant name
 * @param stageKey the memo key: hash of the data spec and the generator version
 * @param data what to generate; its JSON names the task ("task"), absent meaning {@value
 *     KvRetrievalData#TASK} as in requests recorded before there were other tasks
 */
public record SynthesisRequest(
    String experimentId,
    String variant,
    String stageKey,
    @JsonTypeInfo(
            use = JsonTypeInfo.Id.NAME,
            property = TaskData.TYPE_PROPERTY,
            defaultImpl = KvRetrievalData.class)
        TaskData data) {}
