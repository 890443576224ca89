package org.boomerang.nbd.server;

import static java.util.Objects.requireNonNull;
import static org.boomerang.nbd.protocol.NbdProtocol.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.boomerang.nbd.codec.MalformedOptionException;
import org.boomerang.nbd.codec.NbdError;
import org.boomerang.nbd.codec.NbdProtocolException;
import org.boomerang.nbd.codec.OptionPayloads;
import org.boomerang.nbd.codec.OptionPayloads.InfoRequest;
import org.boomerang.nbd.codec.OptionPayloads.MetaContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the fixed-newstyle handshake.
 *
 * <pre>
 * S: NBDMAGIC:u64 IHAVEOPT:u64 handshakeFlags:u16 (FIXED_NEWSTYLE | NO_ZEROES)
 * C: clientFlags:u32                      (unknown bits: the server hangs up, as the protocol requires)
 * C: (IHAVEOPT:u64 option:u32 length:u32 data(length))*   until GO, EXPORT_NAME or ABORT
 * S: optionReply := OPTION_REPLY_MAGIC:u64 option:u32 replyType:u32 length:u32 data(length)
 * </pre>
 * Options: EXPORT_NAME, GO and INFO (NBD_INFO_EXPORT, NAME, DESCRIPTION, BLOCK_SIZE), LIST, ABORT,
 * STRUCTURED_REPLY, LIST_META_CONTEXT and SET_META_CONTEXT with {@code base:allocation}. Any other option
 * gets NBD_REP_ERR_UNSUP and haggling goes on; a malformed payload gets ERR_INVALID; a payload above
 * {@link org.boomerang.nbd.protocol.NbdProtocol#MAX_OPTION_LENGTH} is skipped and gets ERR_TOO_BIG. A wrong
 * option magic ends the connection. The empty export name means the server's default (first) export.
 *
 * <p>Thread-safety: not thread-safe; one per connection.
 */
final class Handshake {
    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);
    /** The id this server gives {@code base:allocation}; any value is legal, it only has to be stable. */
    static final int BASE_ALLOCATION_ID = 1;
    private static final int PREFERRED_BLOCK_SIZE = 4096;
    private static final int MIN_BLOCK_SIZE = 1;
    private static final int RESERVED_ZEROES = 124;
    private static final int KNOWN_CLIENT_FLAGS = CLIENT_FLAG_FIXED_NEWSTYLE | CLIENT_FLAG_NO_ZEROES;

    private final SocketWire wire;
    private final ExportTable exports;
    private boolean noZeroes;
    private boolean structured;
    private String contextExport;
    private boolean allocationSelected;

    Handshake(SocketWire wire, ExportTable exports) {
        this.wire = requireNonNull(wire, "wire is null");
        this.exports = requireNonNull(exports, "exports is null");
    }

    /** Runs the handshake; empty when the client aborted or the handshake ended without an export. */
    Optional<Negotiated> run() throws IOException {
        ByteBuffer greeting = ByteBuffer.allocate(18).putLong(NBDMAGIC).putLong(IHAVEOPT)
                .putShort((short) (FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES)).flip();
        wire.writeFully(greeting);
        int clientFlags = wire.readExactly(Integer.BYTES).getInt();
        if ((clientFlags & ~KNOWN_CLIENT_FLAGS) != 0) {
            throw new NbdProtocolException(NbdError.BAD_CLIENT_FLAGS, String.format("unknown client flags 0x%08x", clientFlags),
                    "use a client that speaks fixed-newstyle NBD");
        }
        noZeroes = (clientFlags & CLIENT_FLAG_NO_ZEROES) != 0;
        while (true) {
            ByteBuffer head = wire.readExactly(16);
            long magic = head.getLong();
            if (magic != IHAVEOPT) {
                throw new NbdProtocolException(NbdError.BAD_MAGIC, String.format("option magic is 0x%016x, expected IHAVEOPT", magic),
                        "the client is not speaking the NBD handshake");
            }
            int option = head.getInt();
            long length = Integer.toUnsignedLong(head.getInt());
            if (length > MAX_OPTION_LENGTH) {
                wire.skip(length);
                reply(option, REP_ERR_TOO_BIG, message("option of " + length + " bytes exceeds this server's limit of " + MAX_OPTION_LENGTH));
                continue;
            }
            ByteBuffer data = wire.readExactly((int) length);
            try {
                Optional<Optional<Negotiated>> outcome = handle(option, data);
                if (outcome.isPresent()) {
                    return outcome.get();
                }
            } catch (MalformedOptionException e) {
                LOG.debug("malformed option {}: {}", option, e.getMessage());
                reply(option, REP_ERR_INVALID, message(e.getMessage()));
            }
        }
    }

    /** Empty to go on haggling; a value to end it (itself empty for ABORT). */
    private Optional<Optional<Negotiated>> handle(int option, ByteBuffer data) throws IOException, MalformedOptionException {
        switch (option) {
            case OPT_EXPORT_NAME -> {
                String name = OptionPayloads.exportName(data);
                ServedExport export = exports.find(name).orElseThrow(() -> new NbdProtocolException(NbdError.UNKNOWN_EXPORT,
                        "no export named '" + name + "'", "list the exports with 'nbdinfo --list' and use one of them"));
                ByteBuffer out = ByteBuffer.allocate(Long.BYTES + Short.BYTES + (noZeroes ? 0 : RESERVED_ZEROES));
                out.putLong(export.size()).putShort((short) export.transmissionFlags());
                wire.writeFully(out.position(out.capacity()).flip());
                return Optional.of(Optional.of(negotiated(export)));
            }
            case OPT_ABORT -> {
                reply(option, REP_ACK, ByteBuffer.allocate(0));
                return Optional.of(Optional.empty());
            }
            case OPT_LIST -> {
                requireEmpty(data, "LIST");
                for (ServedExport export : exports.all()) {
                    byte[] name = export.name().getBytes(StandardCharsets.UTF_8);
                    byte[] description = export.description().getBytes(StandardCharsets.UTF_8);
                    reply(option, REP_SERVER, ByteBuffer.allocate(Integer.BYTES + name.length + description.length)
                            .putInt(name.length).put(name).put(description).flip());
                }
                reply(option, REP_ACK, ByteBuffer.allocate(0));
            }
            case OPT_STRUCTURED_REPLY -> {
                requireEmpty(data, "STRUCTURED_REPLY");
                structured = true;
                reply(option, REP_ACK, ByteBuffer.allocate(0));
            }
            case OPT_INFO, OPT_GO -> {
                InfoRequest request = OptionPayloads.info(data);
                Optional<ServedExport> found = exports.find(request.exportName());
                if (found.isEmpty()) {
                    reply(option, REP_ERR_UNKNOWN, message("no export named '" + request.exportName() + "'"));
                    return Optional.empty();
                }
                sendInfo(option, found.get(), request.infoTypes());
                reply(option, REP_ACK, ByteBuffer.allocate(0));
                if (option == OPT_GO) {
                    return Optional.of(Optional.of(negotiated(found.get())));
                }
            }
            case OPT_LIST_META_CONTEXT, OPT_SET_META_CONTEXT -> metaContext(option, OptionPayloads.metaContext(data));
            default -> reply(option, REP_ERR_UNSUP, message("option " + option + " is not supported by this server"));
        }
        return Optional.empty();
    }

    private void metaContext(int option, MetaContextRequest request) throws IOException {
        if (!structured) {
            reply(option, REP_ERR_INVALID, message("negotiate NBD_OPT_STRUCTURED_REPLY before meta contexts"));
            return;
        }
        Optional<ServedExport> export = exports.find(request.exportName());
        if (export.isEmpty()) {
            reply(option, REP_ERR_UNKNOWN, message("no export named '" + request.exportName() + "'"));
            return;
        }
        boolean matches = option == OPT_LIST_META_CONTEXT && request.queries().isEmpty();
        for (String query : request.queries()) {
            matches |= query.equals(META_CONTEXT_BASE_ALLOCATION) || (option == OPT_LIST_META_CONTEXT && query.equals("base:"));
        }
        if (option == OPT_SET_META_CONTEXT) {
            allocationSelected = matches;
            contextExport = export.get().name();
        }
        if (matches) {
            byte[] name = META_CONTEXT_BASE_ALLOCATION.getBytes(StandardCharsets.US_ASCII);
            reply(option, REP_META_CONTEXT, ByteBuffer.allocate(Integer.BYTES + name.length).putInt(BASE_ALLOCATION_ID).put(name).flip());
        }
        reply(option, REP_ACK, ByteBuffer.allocate(0));
    }

    private void sendInfo(int option, ServedExport export, List<Integer> requested) throws IOException {
        List<ByteBuffer> infos = new ArrayList<>();
        for (int type : requested) {
            if (type == INFO_NAME) {
                infos.add(infoString(INFO_NAME, export.name()));
            } else if (type == INFO_DESCRIPTION) {
                infos.add(infoString(INFO_DESCRIPTION, export.description()));
            }
        }
        // Sent whether asked or not: the minimum of 1 tells the client unaligned requests are fine.
        infos.add(ByteBuffer.allocate(Short.BYTES + 3 * Integer.BYTES).putShort((short) INFO_BLOCK_SIZE)
                .putInt(MIN_BLOCK_SIZE).putInt(PREFERRED_BLOCK_SIZE).putInt(MAX_PAYLOAD).flip());
        infos.add(ByteBuffer.allocate(Short.BYTES + Long.BYTES + Short.BYTES).putShort((short) INFO_EXPORT)
                .putLong(export.size()).putShort((short) export.transmissionFlags()).flip());
        for (ByteBuffer info : infos) {
            reply(option, REP_INFO, info);
        }
    }

    private Negotiated negotiated(ServedExport export) {
        boolean allocation = structured && allocationSelected && export.name().equals(contextExport);
        return new Negotiated(export, structured, allocation ? BASE_ALLOCATION_ID : Negotiated.NO_CONTEXT);
    }

    private void reply(int option, int type, ByteBuffer data) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(20).putLong(OPTION_REPLY_MAGIC).putInt(option).putInt(type)
                .putInt(data.remaining()).flip();
        wire.writeFully(head);
        wire.writeFully(data);
    }

    private static ByteBuffer infoString(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Short.BYTES + bytes.length).putShort((short) type).put(bytes).flip();
    }

    private static ByteBuffer message(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void requireEmpty(ByteBuffer data, String option) throws MalformedOptionException {
        if (data.hasRemaining()) {
            throw new MalformedOptionException(option + " takes no data but " + data.remaining() + " bytes came");
        }
    }
}
