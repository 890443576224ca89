package org.boomerang.api.control;

import java.util.HashMap;
import java.util.Map;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;
import org.boomerang.control.ControlError;
import org.boomerang.control.failback.FailbackRule;
import org.boomerang.provider.ProviderError;

/**
 * The category of a stable error code given by name: jobs store the code of the error they ended
 * with as text, and the API reports its category with it so that the CLI's exit code for a failed
 * job is that of the job's error. An unknown code (from a newer module) counts as
 * {@link ErrorType#INTERNAL}.
 */
public final class ErrorCatalog {
    private static final Map<String, ErrorType> TYPES = build();

    private ErrorCatalog() {}

    private static Map<String, ErrorType> build() {
        Map<String, ErrorType> m = new HashMap<>();
        add(m, ControlError.values());
        add(m, FailbackRule.values());
        add(m, ProviderError.values());
        add(m, ApiErrorCode.values());
        return Map.copyOf(m);
    }

    private static void add(Map<String, ErrorType> m, ErrorCode[] codes) {
        for (ErrorCode c : codes) {
            m.put(c.name(), c.type());
        }
    }

    public static ErrorType typeOf(String code) {
        return TYPES.getOrDefault(code, ErrorType.INTERNAL);
    }
}
