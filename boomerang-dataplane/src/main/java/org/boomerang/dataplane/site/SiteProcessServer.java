package org.boomerang.dataplane.site;

import org.boomerang.dataplane.processserver.ProcessServer;

/** A site's process server, in this process or in a child process ({@link RoleHosting}); agents stream to {@link #port()}. */
sealed interface SiteProcessServer extends AutoCloseable permits SiteProcessServer.Embedded, SiteProcessServer.Child {
    int port();

    @Override
    void close();

    record Embedded(ProcessServer processServer) implements SiteProcessServer {
        @Override
        public int port() {
            return processServer.port();
        }

        @Override
        public void close() {
            processServer.close();
        }
    }

    record Child(RoleProcess process) implements SiteProcessServer {
        @Override
        public int port() {
            return process.port();
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
