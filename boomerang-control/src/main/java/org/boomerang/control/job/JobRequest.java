package org.boomerang.control.job;

/**
 * What a job was asked to do: a typed record per {@link JobKind}. Everything the job's steps need
 * to be rebuilt after a restart is in here (decisions such as the chosen recovery point are made
 * before the job is created and stored with it).
 */
public interface JobRequest {
    JobKind kind();

    /** The id of what the job acts on (an item or a plan), for listing. */
    String target();

    /** One line for operators, e.g. {@code planned-failover of item web-1}. */
    String describe();
}
