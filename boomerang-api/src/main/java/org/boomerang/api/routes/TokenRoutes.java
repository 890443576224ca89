package org.boomerang.api.routes;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.boomerang.api.Access;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.api.ApiRoute;
import org.boomerang.api.RouteGroup;
import org.boomerang.api.auth.StoredToken;
import org.boomerang.api.auth.TokenStore;
import org.boomerang.api.dto.CreateTokenRequest;
import org.boomerang.api.dto.CreatedToken;
import org.boomerang.api.dto.TokenView;
import org.boomerang.common.BoomerangException;

/** API tokens: who am I (reader), list, create and revoke (admin). */
public final class TokenRoutes implements RouteGroup {
    private final TokenStore tokens;

    public TokenRoutes(TokenStore tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/api/v1/whoami", "whoAmI").access(Access.READER).tag("tokens")
                        .summary("The token this request was made with (never its secret)").returns(TokenView.class)
                        .handle(call -> view(call.caller().orElseThrow(() -> new BoomerangException(ApiErrorCode.API_UNAUTHENTICATED,
                                "no token", "send a token")))),
                ApiRoute.get("/api/v1/tokens", "listTokens").access(Access.ADMIN).tag("tokens")
                        .summary("Every API token (ids, roles and labels; never secrets)").returns(ApiRoute.listOf(TokenView.class))
                        .handle(call -> tokens.list().stream().map(TokenRoutes::view).toList()),
                ApiRoute.post("/api/v1/tokens", "createToken").access(Access.ADMIN).tag("tokens").status(201)
                        .summary("Create a token; its secret is in this response only").body(CreateTokenRequest.class).returns(CreatedToken.class)
                        .handle(call -> {
                            CreateTokenRequest req = call.body(CreateTokenRequest.class);
                            TokenStore.Created created = tokens.create(req.role(), req.label());
                            return new CreatedToken(view(created.stored()), created.token().text());
                        }),
                ApiRoute.delete("/api/v1/tokens/{id}", "revokeToken").access(Access.ADMIN).tag("tokens")
                        .summary("Revoke a token: requests with it fail from now on").returns(TokenView.class)
                        .handle(call -> view(tokens.revoke(call.path("id")))));
    }

    static TokenView view(StoredToken t) {
        return new TokenView(t.id(), t.role(), t.label(), t.createdAt());
    }
}
