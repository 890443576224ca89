package org.boomerang.provider;

/** The guest operating system family; it decides how guest tools are handled (FB-18). */
public enum OsFamily {
    WINDOWS,
    LINUX
}
