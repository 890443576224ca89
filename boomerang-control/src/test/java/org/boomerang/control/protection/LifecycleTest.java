package org.boomerang.control.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LifecycleTest {
    private static final ItemId ITEM = new ItemId("web");

    static Stream<Arguments> illegalTransitions() {
        List<Arguments> out = new ArrayList<>();
        for (ItemState s : ItemState.values()) {
            for (Operation op : Operation.values()) {
                if (Lifecycle.find(s, op).isEmpty()) {
                    out.add(Arguments.of(s, op));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} in {0} is refused")
    @MethodSource("illegalTransitions")
    void everyIllegalTransitionIsRefusedNamingStateAndLegalActions(ItemState state, Operation op) {
        BoomerangException e = catchThrowableOfType(BoomerangException.class, () -> Lifecycle.require(ITEM, state, op));
        assertThat(e.code()).isEqualTo(ControlError.ILLEGAL_TRANSITION);
        assertThat(e.getMessage()).contains("cannot " + op.label()).contains("it is " + state.label());
        assertThat(e.hint()).startsWith("legal actions in state " + state.label() + ": ");
        for (Operation legal : Lifecycle.legalOperations(state)) {
            assertThat(e.hint()).contains(legal.label());
        }
    }

    @Test
    void theTableIsTheSpecsLifecycle() {
        assertThat(Lifecycle.require(ITEM, ItemState.UNPROTECTED, Operation.ENABLE).during()).contains(ItemState.INITIAL_SYNC);
        assertThat(Lifecycle.require(ITEM, ItemState.PROTECTED, Operation.TEST_FAILOVER).to()).isEqualTo(ItemState.TEST_RUNNING);
        assertThat(Lifecycle.require(ITEM, ItemState.TEST_RUNNING, Operation.CLEANUP_TEST_FAILOVER).to()).isEqualTo(ItemState.PROTECTED);
        assertThat(Lifecycle.require(ITEM, ItemState.PROTECTED, Operation.UNPLANNED_FAILOVER).to()).isEqualTo(ItemState.FAILED_OVER);
        assertThat(Lifecycle.require(ITEM, ItemState.FAILED_OVER, Operation.CHANGE_RECOVERY_POINT).to()).isEqualTo(ItemState.FAILED_OVER);
        assertThat(Lifecycle.require(ITEM, ItemState.FAILED_OVER, Operation.COMMIT).to()).isEqualTo(ItemState.COMMITTED);
        Transition reprotect = Lifecycle.require(ITEM, ItemState.COMMITTED, Operation.REPROTECT);
        assertThat(reprotect.during()).contains(ItemState.REVERSE_SYNC);
        assertThat(reprotect.to()).isEqualTo(ItemState.REVERSE_PROTECTED);
        Transition failback = Lifecycle.require(ITEM, ItemState.REVERSE_PROTECTED, Operation.PLANNED_FAILOVER);
        assertThat(failback.isFailback()).isTrue();
        assertThat(failback.to()).isEqualTo(ItemState.FAILED_BACK);
        assertThat(Lifecycle.require(ITEM, ItemState.FAILED_BACK, Operation.COMMIT).to()).isEqualTo(ItemState.COMMITTED_BACK);
        assertThat(Lifecycle.require(ITEM, ItemState.COMMITTED_BACK, Operation.REPROTECT).to()).isEqualTo(ItemState.PROTECTED);
    }

    @Test
    void everyStateIsReachableAndHasAWayOut() {
        Set<ItemState> reached = new HashSet<>(List.of(ItemState.UNPROTECTED));
        Lifecycle.transitions().forEach(t -> {
            reached.add(t.to());
            t.during().ifPresent(reached::add);
        });
        assertThat(reached).containsExactlyInAnyOrder(ItemState.values());
        for (ItemState s : ItemState.values()) {
            if (s != ItemState.INITIAL_SYNC && s != ItemState.REVERSE_SYNC) {
                assertThat(Lifecycle.legalOperations(s)).as("a way out of " + s).isNotEmpty();
            }
        }
    }

    @Test
    void persistedIdsAreUniqueAndRoundTrip() {
        assertThat(Arrays.stream(ItemState.values()).map(ItemState::id).distinct()).hasSize(ItemState.values().length);
        assertThat(Arrays.stream(Operation.values()).map(Operation::id).distinct()).hasSize(Operation.values().length);
        for (ItemState s : ItemState.values()) {
            assertThat(ItemState.fromId(s.id())).isEqualTo(s);
        }
        for (Operation o : Operation.values()) {
            assertThat(Operation.fromId(o.id())).isEqualTo(o);
        }
        assertThat(ItemState.PROTECTED.id()).isEqualTo(3);
        assertThat(ItemState.REVERSE_PROTECTED.id()).isEqualTo(8);
    }
}
