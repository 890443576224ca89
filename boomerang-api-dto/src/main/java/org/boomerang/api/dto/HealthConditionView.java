package org.boomerang.api.dto;

/**
 * One reason an item's health is not OK: a stable {@code code} ({@code INITIAL_SYNC},
 * {@code CATCHING_UP}, {@code RPO_UNMEASURED}, {@code RPO_EXCEEDED}, {@code REPLICATION_PAUSED},
 * {@code REPLICATION_ERROR}, {@code ROLE_UNREACHABLE}; a newer server may add codes), the
 * {@code severity} it gives the item, and a message that says what to do.
 */
public record HealthConditionView(String code, ItemHealthView severity, String message) {}
