package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.boomerang.common.DiskId;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.recovery.RetentionPolicy;
import org.boomerang.testing.TestingClock;

/**
 * Model-based property test: random writes, trims, zeroes, markers, clock moves, retention runs and
 * reopens against an in-memory model that keeps the disk's bytes at every LSN. After every retention
 * run, every reopen and at the end, the view at every retained LSN must equal the model at that LSN,
 * and the base must be exactly where the policy says.
 */
class JournalModelPropertyTest {
    private static final int DISK = 64 * 1024;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    sealed interface Op permits Write, Trim, Zero, Mark, Advance, Retain, Reopen {}

    record Write(int offset, int length, long seed) implements Op {}

    record Trim(int offset, int length) implements Op {}

    record Zero(int offset, int length) implements Op {}

    record Mark(MarkerKind kind) implements Op {}

    record Advance(int minutes) implements Op {}

    record Retain(int windowMinutes) implements Op {}

    record Reopen() implements Op {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> offset = Arbitraries.integers().between(0, DISK - 1);
        Arbitrary<Op> write = Combinators.combine(offset, Arbitraries.integers().between(1, 20_000), Arbitraries.longs())
                .as((o, l, s) -> new Write(o, Math.min(l, DISK - o), s));
        Arbitrary<Op> trim = Combinators.combine(offset, Arbitraries.integers().between(1, 30_000))
                .as((o, l) -> new Trim(o, Math.min(l, DISK - o)));
        Arbitrary<Op> zero = Combinators.combine(offset, Arbitraries.integers().between(1, 30_000))
                .as((o, l) -> new Zero(o, Math.min(l, DISK - o)));
        Arbitrary<Op> mark = Arbitraries.of(MarkerKind.class).map(Mark::new);
        Arbitrary<Op> advance = Arbitraries.integers().between(1, 90).map(Advance::new);
        Arbitrary<Op> retain = Arbitraries.integers().between(0, 240).map(Retain::new);
        Arbitrary<Op> reopen = Arbitraries.just(new Reopen());
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(8, write), net.jqwik.api.Tuple.of(2, trim), net.jqwik.api.Tuple.of(2, zero),
                        net.jqwik.api.Tuple.of(4, mark), net.jqwik.api.Tuple.of(3, advance), net.jqwik.api.Tuple.of(2, retain),
                        net.jqwik.api.Tuple.of(2, reopen))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 60)
    void everyViewAtEveryRetainedPointEqualsTheModel(@ForAll("ops") List<Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("journal-model");
        TestingClock clock = new TestingClock(START);
        JournalOptions options = JournalOptions.defaults().withSegmentBytes(64 * 1024).withClock(clock);
        List<byte[]> states = new ArrayList<>();
        List<long[]> markers = new ArrayList<>(); // {lsn, epochMillis}
        states.add(new byte[DISK]);
        long base = 0;
        Journal journal = SegmentedJournal.create(dir.resolve("j"), JournalIdentity.create(new DiskId("d"), DISK, 512), options);
        try {
            for (Op op : ops) {
                byte[] next = states.get(states.size() - 1).clone();
                switch (op) {
                    case Write w -> {
                        byte[] data = new byte[w.length()];
                        new Random(w.seed()).nextBytes(data);
                        System.arraycopy(data, 0, next, w.offset(), w.length());
                        journal.appendWrite(w.offset(), ByteBuffer.wrap(data));
                        states.add(next);
                    }
                    case Trim t -> {
                        Arrays.fill(next, t.offset(), t.offset() + t.length(), (byte) 0);
                        journal.appendTrim(t.offset(), t.length());
                        states.add(next);
                    }
                    case Zero z -> {
                        Arrays.fill(next, z.offset(), z.offset() + z.length(), (byte) 0);
                        journal.appendZero(z.offset(), z.length());
                        states.add(next);
                    }
                    case Mark m -> {
                        RecoveryPoint p = journal.appendMarker(m.kind(), "", "");
                        states.add(next);
                        markers.add(new long[] {p.lsn().value(), clock.now().toEpochMilli()});
                        journal.awaitDurable(p.lsn());
                        assertThat(journal.resolve(PointName.parse(p.id()))).isEqualTo(p.lsn());
                    }
                    case Advance a -> clock.advance(Duration.ofMinutes(a.minutes()));
                    case Retain r -> {
                        long cutoff = clock.now().minus(Duration.ofMinutes(r.windowMinutes())).toEpochMilli();
                        for (long[] mk : markers) {
                            if (mk[1] <= cutoff) {
                                base = Math.max(base, mk[0]);
                            }
                        }
                        journal.applyRetention(new RetentionPolicy(Duration.ofMinutes(r.windowMinutes()),
                                List.of(new RetentionPolicy.Tier(Duration.ofMinutes(30), Duration.ofMinutes(30)))));
                        assertThat(journal.baseLsn().value()).isEqualTo(base);
                        checkEveryPoint(journal, states, base);
                    }
                    case Reopen ignored -> {
                        journal.close();
                        journal = SegmentedJournal.open(dir.resolve("j"), options);
                        checkEveryPoint(journal, states, base);
                    }
                }
                assertThat(journal.lastLsn().value()).isEqualTo(states.size() - 1);
            }
            journal.sync();
            checkEveryPoint(journal, states, base);
            assertThat(journal.resolve(PointName.parse("latest")).value()).isEqualTo(states.size() - 1);
        } finally {
            journal.close();
            deleteTree(dir);
        }
    }

    private static void checkEveryPoint(Journal journal, List<byte[]> states, long base) throws IOException {
        assertThat(journal.baseLsn().value()).isEqualTo(base);
        for (long lsn = base; lsn < states.size(); lsn++) {
            try (PointInTimeView view = journal.openView(Lsn.of(lsn))) {
                ByteBuffer got = ByteBuffer.allocate(DISK);
                view.read(0, got);
                assertThat(Arrays.mismatch(got.array(), states.get((int) lsn)))
                        .as("first byte where the view at lsn:%d differs from the model", lsn).isEqualTo(-1);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
