package org.boomerang.api.dto;

/** The error an item's last operation or a job ended with; {@code category} decides the CLI's exit code. */
public record ErrorView(String code, String category, String message, String hint) {}
