package org.boomerang.control.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.boomerang.common.Backoff;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.store.ItemStore;
import org.boomerang.control.testing.InMemoryControlStore;
import org.boomerang.control.testing.TestingEstate;
import org.junit.jupiter.api.Test;

/** {@link ItemAccess#update} against a store where other writers win the version race. */
class ItemAccessRetryTest {
    /** An item store whose first {@code losses} updates lose to a concurrent writer. */
    private static ItemStore racing(ItemStore real, int losses, AtomicInteger calls) {
        return new ItemStore() {
            @Override
            public void create(ProtectedItem item) {
                real.create(item);
            }

            @Override
            public Optional<ProtectedItem> get(ItemId id) {
                return real.get(id);
            }

            @Override
            public List<ProtectedItem> list() {
                return real.list();
            }

            @Override
            public ProtectedItem update(ProtectedItem item) {
                if (calls.incrementAndGet() <= losses) {
                    throw new BoomerangException(ControlError.CONCURRENT_UPDATE, "changed first", "re-read");
                }
                return real.update(item);
            }

            @Override
            public void delete(ItemId id) {
                real.delete(id);
            }
        };
    }

    @Test
    void retriesWithGrowingJitteredWaitsThenSucceeds() throws Exception {
        try (TestingEstate estate = new TestingEstate(new InMemoryControlStore())) {
            estate.protect("web", TestingEstate.WEB1);
            List<Duration> waits = new ArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            ItemStore items = racing(estate.store.items(), 5, calls);
            Backoff backoff = new Backoff(Duration.ofMillis(5), Duration.ofMillis(500), 20, waits::add, new SplittableRandom(3));
            ItemAccess access = new ItemAccess(items, site -> estate.primary, estate.dataPlane, new FencingGuard(items), policy -> Optional.empty(), backoff);

            ProtectedItem updated = access.update(new ItemId("web"), b -> b.lastError(Optional.empty()));

            assertThat(updated.id()).isEqualTo(new ItemId("web"));
            assertThat(calls).hasValue(6);
            assertThat(waits).hasSize(5);
            for (int i = 0; i < waits.size(); i++) {
                assertThat(waits.get(i)).isBetween(backoff.ceiling(i + 1).dividedBy(2), backoff.ceiling(i + 1));
            }
        }
    }

    @Test
    void givesUpWithAClearErrorAfterTheLastAttempt() throws Exception {
        try (TestingEstate estate = new TestingEstate(new InMemoryControlStore())) {
            estate.protect("web", TestingEstate.WEB1);
            List<Duration> waits = new ArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            ItemStore items = racing(estate.store.items(), Integer.MAX_VALUE, calls);
            Backoff backoff = new Backoff(Duration.ofMillis(5), Duration.ofMillis(500), 20, waits::add, new SplittableRandom(3));
            ItemAccess access = new ItemAccess(items, site -> estate.primary, estate.dataPlane, new FencingGuard(items), policy -> Optional.empty(), backoff);

            assertThatThrownBy(() -> access.update(new ItemId("web"), b -> b.lastError(Optional.empty())))
                    .isInstanceOfSatisfying(BoomerangException.class, e -> {
                        assertThat(e.code()).isEqualTo(ControlError.UPDATE_RETRIES_EXHAUSTED);
                        assertThat(e.getMessage()).contains("web").contains("20 of 20 attempts");
                        assertThat(e.hint()).isNotBlank();
                    });
            assertThat(calls).hasValue(20);
            assertThat(waits).hasSize(19);
            assertThat(waits.getLast()).isLessThanOrEqualTo(Duration.ofMillis(500));
        }
    }
}
