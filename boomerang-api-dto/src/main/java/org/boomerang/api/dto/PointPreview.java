package org.boomerang.api.dto;

/**
 * Which recovery point a point name selects for an item, the item's newest point, and the data
 * loss of choosing it: how many seconds it is behind the newest (FB-15).
 */
public record PointPreview(String item, PointView point, PointView latest, long dataLossSeconds) {}
