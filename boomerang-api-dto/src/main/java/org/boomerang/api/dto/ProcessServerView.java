package org.boomerang.api.dto;

/** A process server at a site (FB-20: reprotect chooses one). */
public record ProcessServerView(String id, String site, String address) {}
