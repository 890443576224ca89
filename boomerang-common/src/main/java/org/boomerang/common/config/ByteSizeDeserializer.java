package org.boomerang.common.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import org.boomerang.common.ByteSize;

/**
 * Reads a size as {@link ByteSize#parse} does ({@code 4096}, {@code 64K}, {@code 2G}) into a
 * {@code long} config component: annotate it {@code @JsonDeserialize(using = ByteSizeDeserializer.class)}
 * ({@code contentUsing} on an {@code Optional<Long>}). A refusal names {@link ByteSize} as the
 * expected type, so the reader's message asks for a size, not a whole number.
 */
public final class ByteSizeDeserializer extends JsonDeserializer<Long> {
    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING && p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            return (Long) ctxt.handleUnexpectedToken(Long.class, p);
        }
        String text = p.getText();
        try {
            return ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
            InvalidFormatException f = InvalidFormatException.from(p, e.getMessage(), text, ByteSize.class);
            f.initCause(e);
            throw f;
        }
    }
}
