package org.boomerang.api.dto;

import org.boomerang.common.ErrorType;

/** The error an item's last operation or a job ended with; {@code category} decides the CLI's exit code. */
public record ErrorView(String code, ErrorType category, String message, String hint) {}
