package org.boomerang.api.dto;

/**
 * A token just created. {@code secret} is shown this once: the server keeps only its hash, so a
 * lost secret cannot be recovered, only replaced.
 */
public record CreatedToken(TokenView token, String secret) {}
