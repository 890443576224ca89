package org.boomerang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.boomerang.api.dto.ConsistencyView;
import org.boomerang.api.dto.JobStateView;
import org.boomerang.api.dto.JobView;
import org.boomerang.api.dto.PointView;
import org.boomerang.common.ErrorType;
import org.junit.jupiter.api.Test;

/** The documented rule for enum values a newer server adds: the CLI reads them, as UNKNOWN (or null), and goes on. */
class WireEnumToleranceTest {
    private final ObjectMapper json = ApiClient.mapper();

    @Test
    void aJobStateOrCategoryFromANewerServerIsReadNotRefused() throws Exception {
        JobView job = json.readValue("""
                {"id":"j1","kind":"ITEM_OPERATION","state":"PAUSED_BY_A_NEWER_SERVER","terminal":true,"percent":10,
                 "error":{"code":"NEW_CODE","category":"A_NEW_CATEGORY","message":"m","hint":"h"}}
                """, JobView.class);
        assertThat(job.state()).isEqualTo(JobStateView.UNKNOWN);
        assertThat(job.error().category()).isNull();
        assertThat(RemoteErrorCode.of(job.error().code(), job.error().category()).type()).isEqualTo(ErrorType.INTERNAL);
        assertThat(json.readValue("{\"state\":\"SUCCEEDED\"}", JobView.class).state()).isEqualTo(JobStateView.SUCCEEDED);
    }

    @Test
    void anUnknownConsistencyIsUnknownNotApp() throws Exception {
        PointView p = json.readValue("{\"id\":\"p\",\"consistency\":\"QUIESCED\"}", PointView.class);
        assertThat(p.consistency()).isEqualTo(ConsistencyView.UNKNOWN);
    }
}
