package org.boomerang.nbd.codec;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * Parses the payloads of the handshake options that carry one.
 *
 * <pre>
 * INFO, GO              := nameLength:u32 name(nameLength) count:u16 infoType:u16{count}
 * LIST_META_CONTEXT,
 * SET_META_CONTEXT      := nameLength:u32 name(nameLength) count:u32 (queryLength:u32 query(queryLength)){count}
 * EXPORT_NAME           := name(option length)
 * LIST, ABORT,
 * STRUCTURED_REPLY      := (empty)
 * </pre>
 * Strings are UTF-8 without NUL and at most {@link NbdProtocol#MAX_NAME_LENGTH} bytes. Every parser
 * requires the payload to be consumed exactly; anything else is a {@link MalformedOptionException}.
 *
 * <p>Thread-safety: stateless.
 */
public final class OptionPayloads {
    private OptionPayloads() {}

    /** The export an INFO or GO names and the information types the client asks for. */
    public record InfoRequest(String exportName, List<Integer> infoTypes) {}

    /** The export a LIST/SET_META_CONTEXT names and its queries. */
    public record MetaContextRequest(String exportName, List<String> queries) {}

    public static InfoRequest info(ByteBuffer payload) throws MalformedOptionException {
        try {
            String name = string(payload, payload.getInt());
            int count = Short.toUnsignedInt(payload.getShort());
            if (payload.remaining() != count * Short.BYTES) {
                throw new MalformedOptionException("INFO/GO lists " + count + " information types but carries "
                        + payload.remaining() + " bytes for them");
            }
            List<Integer> types = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                types.add(Short.toUnsignedInt(payload.getShort()));
            }
            return new InfoRequest(name, types);
        } catch (BufferUnderflowException e) {
            throw new MalformedOptionException("INFO/GO payload is shorter than its fields say");
        }
    }

    public static MetaContextRequest metaContext(ByteBuffer payload) throws MalformedOptionException {
        try {
            String name = string(payload, payload.getInt());
            long count = Integer.toUnsignedLong(payload.getInt());
            if (count > payload.remaining() / Integer.BYTES) {
                throw new MalformedOptionException("META_CONTEXT lists " + count + " queries in " + payload.remaining() + " bytes");
            }
            List<String> queries = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                queries.add(string(payload, payload.getInt()));
            }
            if (payload.hasRemaining()) {
                throw new MalformedOptionException("META_CONTEXT payload has " + payload.remaining() + " trailing bytes");
            }
            return new MetaContextRequest(name, queries);
        } catch (BufferUnderflowException e) {
            throw new MalformedOptionException("META_CONTEXT payload is shorter than its fields say");
        }
    }

    /** The whole payload as an export name (NBD_OPT_EXPORT_NAME). */
    public static String exportName(ByteBuffer payload) throws MalformedOptionException {
        return string(payload, payload.remaining());
    }

    private static String string(ByteBuffer payload, int length) throws MalformedOptionException {
        if (length < 0 || length > NbdProtocol.MAX_NAME_LENGTH) {
            throw new MalformedOptionException("string of " + Integer.toUnsignedLong(length) + " bytes exceeds the protocol's "
                    + NbdProtocol.MAX_NAME_LENGTH);
        }
        if (length > payload.remaining()) {
            throw new MalformedOptionException("string of " + length + " bytes but only " + payload.remaining() + " remain");
        }
        ByteBuffer bytes = payload.slice(payload.position(), length);
        payload.position(payload.position() + length);
        for (int i = 0; i < length; i++) {
            if (bytes.get(i) == 0) {
                throw new MalformedOptionException("string contains a NUL byte");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedOptionException("string is not valid UTF-8");
        }
    }
}
