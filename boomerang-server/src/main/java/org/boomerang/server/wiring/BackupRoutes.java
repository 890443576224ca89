package org.boomerang.server.wiring;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.boomerang.api.Access;
import org.boomerang.api.ApiRoute;
import org.boomerang.api.RouteGroup;
import org.boomerang.api.dto.BackupView;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.store.jdbc.BackupScheduler;
import org.boomerang.store.jdbc.ControlBackup;

/**
 * Backups of the control database over the API (admin): list the backup folder, take one now.
 * Restore stays a command on the server's machine ({@code boomerang server restore}): it needs the
 * server stopped and an empty database.
 */
public final class BackupRoutes implements RouteGroup {
    private final BackupScheduler backups;

    public BackupRoutes(BackupScheduler backups) {
        this.backups = requireNonNull(backups, "backups is null");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/api/v1/backups", "listBackups").access(Access.ADMIN).tag("backups")
                        .summary("The control database's backups in the server's backup folder, oldest first (FB-13)")
                        .returns(ApiRoute.listOf(BackupView.class))
                        .handle(call -> list()),
                ApiRoute.post("/api/v1/backups", "createBackup").access(Access.ADMIN).tag("backups").status(201)
                        .summary("Back the control database up now (the scheduled backups keep running)").returns(BackupView.class)
                        .handle(call -> {
                            ControlBackup.Summary s = backups.backupNow();
                            return new BackupView(s.file().getFileName().toString(), size(s.file()), s.rows(), s.createdAt());
                        }));
    }

    private List<BackupView> list() {
        List<BackupView> out = new ArrayList<>();
        for (Path p : backups.backups()) {
            try {
                long rows;
                java.time.Instant created;
                try {
                    ControlBackup.Summary s = ControlBackup.verify(p);
                    rows = s.rows();
                    created = s.createdAt();
                } catch (BoomerangException e) {
                    rows = -1; // damaged: listed without a row count; a restore would refuse it
                    created = Files.getLastModifiedTime(p).toInstant();
                }
                out.add(new BackupView(p.getFileName().toString(), Files.size(p), rows, created));
            } catch (IOException e) {
                // deleted by pruning between listing and reading: leave it out
            }
        }
        return out;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new BoomerangException(ControlError.BACKUP_FAILED, "cannot read the backup just written: " + p + ": " + e.getMessage(),
                    "check the backup folder", e);
        }
    }
}
