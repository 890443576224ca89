package org.boomerang.cli.archfixture;

import org.boomerang.api.dto.ErrorView;

/** Scratch fixture: the CLI reading a DTO, as it may. */
public final class CliUsingDtos {
    public String code(ErrorView e) {
        return e.code();
    }
}
