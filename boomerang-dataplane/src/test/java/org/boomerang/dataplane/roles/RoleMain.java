package org.boomerang.dataplane.roles;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.boomerang.dataplane.agent.Agent;
import org.boomerang.dataplane.agent.AgentConfig;
import org.boomerang.dataplane.mastertarget.MasterTarget;
import org.boomerang.dataplane.mastertarget.MasterTargetConfig;
import org.boomerang.dataplane.processserver.ProcessServer;
import org.boomerang.dataplane.processserver.ProcessServerConfig;

/**
 * One role as a child process of a test ({@code ROLE CONFIG}): prints {@code port=N} (the stream or NBD
 * port) once serving, then runs until killed; SIGTERM closes it as {@code boomerang ROLE} does.
 */
public final class RoleMain {
    private RoleMain() {}

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[1]);
        AutoCloseable role;
        int port;
        switch (args[0]) {
            case "master-target" -> {
                MasterTarget mt = MasterTarget.start(MasterTargetConfig.read(config));
                role = mt;
                port = mt.port();
            }
            case "process-server" -> {
                ProcessServer ps = ProcessServer.start(ProcessServerConfig.read(config));
                role = ps;
                port = ps.port();
            }
            case "agent" -> {
                Agent a = Agent.start(AgentConfig.read(config));
                role = a;
                port = a.nbdPort();
            }
            default -> throw new IllegalArgumentException("no role " + args[0]);
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                role.close();
            } catch (Exception e) {
                System.err.println("closing failed: " + e);
            }
            done.countDown();
        }));
        System.out.println("port=" + port);
        System.out.flush();
        done.await();
    }
}
