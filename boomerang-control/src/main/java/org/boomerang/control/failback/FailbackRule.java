package org.boomerang.control.failback;

import org.boomerang.common.BoomerangException;
import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/**
 * The failback rules of SPEC §4, one stable error code each, named after its FB number. The table
 * in {@code docs/operations.md} lists them with their messages. Rules that describe behaviour rather
 * than a refusal (FB-17, FB-18, FB-19, FB-23) still have a code: it is raised when that behaviour
 * cannot be carried out (e.g. the recovery-site machine cannot be shut down).
 */
public enum FailbackRule implements ErrorCode {
    FB_1_MACHINE_MIGRATED_MOVED_OR_DELETED(1, ErrorType.PRECONDITION,
            "no failback after migration was completed, or after the recovery-site machine was moved to another resource group or deleted"),
    FB_2_NO_FAILBACK_TO_HYPER_V(2, ErrorType.PRECONDITION,
            "a failed-over VMware VM cannot fail back to a Hyper-V host"),
    FB_3_ORIGINAL_MANAGER_AND_CONTROL_SERVER_ONLY(3, ErrorType.PRECONDITION,
            "failback goes only to the original hypervisor manager and the original control server"),
    FB_4_OLR_NEEDS_ORIGINAL_MACHINE(4, ErrorType.PRECONDITION,
            "original location recovery needs the on-prem machine to still exist; only changes are replicated back"),
    FB_5_MASTER_TARGET_CANNOT_REACH_DATASTORE(5, ErrorType.PRECONDITION,
            "for original location recovery the master target's host must reach the machine's datastore (and be discovered when standalone)"),
    FB_6_OLR_VSAN_RDM_NEEDS_ATTACHED_DISKS(6, ErrorType.PRECONDITION,
            "original location recovery onto vSAN or RDM disks needs those disks to exist and be attached to the on-prem machine"),
    FB_7_ALR_NEEDS_DATASTORE(7, ErrorType.USER_ERROR,
            "alternate location recovery recreates the machine on the master target's host on a datastore chosen at reprotect, with a full copy"),
    FB_8_ALR_ONLY_ON_VMFS(8, ErrorType.PRECONDITION,
            "alternate location recovery only onto VMFS datastores; vSAN and RDM are refused"),
    FB_9_PHYSICAL_FAILS_BACK_AS_VM_ALR_ONLY(9, ErrorType.PRECONDITION,
            "a physical server fails back only as a VMware VM, which is always alternate location recovery"),
    FB_10_WINDOWS_2008_R2_SP1_PHYSICAL_NO_FAILBACK(10, ErrorType.PRECONDITION,
            "a Windows Server 2008 R2 SP1 physical server that was failed over cannot be failed back"),
    FB_11_MASTER_TARGET_AND_HOSTS_NOT_DISCOVERED(11, ErrorType.PRECONDITION,
            "at least one master target server and the needed hosts must be discovered"),
    FB_12_REPROTECTION_NOT_COMPLETE(12, ErrorType.PRECONDITION,
            "failback needs completed reprotection: the item protected and its health OK"),
    FB_13_CONTROL_SERVER_OR_MACHINE_MISSING(13, ErrorType.PRECONDITION,
            "a control server at the primary site is required and the machine must exist in its database"),
    FB_14_MASTER_TARGET_HAS_SNAPSHOTS(14, ErrorType.PRECONDITION,
            "the master target must have no snapshots before failback"),
    FB_15_NO_SUCH_RECOVERY_POINT(15, ErrorType.PRECONDITION,
            "the recovery point asked for (latest processed, app-consistent, common app-consistent of a group) does not exist"),
    FB_16_NO_RECOVERY_POINT(16, ErrorType.PRECONDITION,
            "no failback of a machine without a recovery point, nor of a plan until all its machines have one"),
    FB_17_RECOVERY_MACHINE_NOT_SHUT_DOWN(17, ErrorType.EXTERNAL,
            "during failback the recovery-site machines are shut down"),
    FB_18_GUEST_TOOLS_NOT_HANDLED(18, ErrorType.EXTERNAL,
            "guest tools are disabled (Windows) or uninstalled (Linux) on failover and re-enabled or reinstalled on failback"),
    FB_19_COMMIT_CANNOT_REMOVE_RECOVERY_MACHINE(19, ErrorType.EXTERNAL,
            "after failback, commit removes the failed-over machines at the recovery site"),
    FB_20_CHOOSE_PROCESS_SERVER(20, ErrorType.USER_ERROR,
            "after commit, reprotect to the recovery site again, choosing the process server"),
    FB_21_AGENT_NOT_REGISTERED(21, ErrorType.PRECONDITION,
            "the agent of a booted machine needs time to register (up to 15 minutes); reprotect can be retried"),
    FB_22_MANAGER_NOT_CONNECTED(22, ErrorType.PRECONDITION,
            "the hypervisor manager (vCenter) must be connected before failback"),
    FB_23_ON_PREM_MACHINE_NOT_TURNED_OFF(23, ErrorType.EXTERNAL,
            "reprotect turns off the on-prem machine and synchronises the recovery-site machine's data to the on-prem disks");

    private final int number;
    private final ErrorType type;
    private final String rule;

    FailbackRule(int number, ErrorType type, String rule) {
        this.number = number;
        this.type = type;
        this.rule = rule;
    }

    /** The FB number, e.g. 8 for FB-8. */
    public int number() {
        return number;
    }

    /** The rule in one sentence, as SPEC §4 states it. */
    public String rule() {
        return rule;
    }

    @Override
    public ErrorType type() {
        return type;
    }

    /** A refusal naming the rule: {@code FB-8: message}, with what to do next. */
    public BoomerangException refuse(String message, String hint) {
        return new BoomerangException(this, "FB-" + number + ": " + message, hint);
    }
}
