package org.boomerang.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** FB-10 reads the guest OS as real inventories spell it. */
class GuestOsTest {
    private static boolean sp1(OsFamily family, String version) {
        return new GuestOs(family, version).isWindowsServer2008R2Sp1();
    }

    @Test
    void windowsServer2008R2Sp1InEverySpelling() {
        assertThat(sp1(OsFamily.WINDOWS, "Windows Server 2008 R2 SP1")).isTrue();
        assertThat(sp1(OsFamily.WINDOWS, "Microsoft Windows Server 2008 R2 Standard Service Pack 1")).isTrue();
        assertThat(sp1(OsFamily.WINDOWS, "Windows Server 2008 R2 Datacenter, Service Pack 1")).isTrue();
        assertThat(sp1(OsFamily.WINDOWS, "Windows Server 2008 R2 (build 7601)")).isTrue();
        assertThat(sp1(OsFamily.WINDOWS, "6.1.7601")).isTrue();
        assertThat(sp1(OsFamily.WINDOWS, "windows server 2008 r2 sp1")).isTrue();
    }

    @Test
    void otherSystemsAreNot() {
        assertThat(sp1(OsFamily.WINDOWS, "Windows Server 2008 R2")).as("RTM, build 7600").isFalse();
        assertThat(sp1(OsFamily.WINDOWS, "6.1.7600")).isFalse();
        assertThat(sp1(OsFamily.WINDOWS, "Windows Server 2008 SP1")).as("not R2").isFalse();
        assertThat(sp1(OsFamily.WINDOWS, "Windows Server 2016 (build 14393.7601)")).isFalse();
        assertThat(sp1(OsFamily.WINDOWS, "Windows Server 2019")).isFalse();
        assertThat(sp1(OsFamily.LINUX, "Windows Server 2008 R2 SP1")).as("family decides").isFalse();
    }
}
