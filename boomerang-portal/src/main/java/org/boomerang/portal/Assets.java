package org.boomerang.portal;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.boomerang.common.BoomerangException;

/**
 * The portal's static files, served from the classpath under {@code /assets/NAME}: htmx and uPlot
 * from their WebJars (the version read from the WebJar's own {@code pom.properties}), and the
 * portal's CSS and script. Only these names are served. Loaded once; thread-safe.
 */
final class Assets {
    private record Asset(String contentType, byte[] bytes) {}

    private final Map<String, Asset> assets;

    Assets() {
        String htmx = "META-INF/resources/webjars/htmx.org/" + webjarVersion("htmx.org") + "/dist/";
        String uplot = "META-INF/resources/webjars/uplot/" + webjarVersion("uplot") + "/dist/";
        String own = "org/boomerang/portal/assets/";
        assets = Map.of(
                "htmx.min.js", load(htmx + "htmx.min.js", "text/javascript"),
                "uPlot.iife.min.js", load(uplot + "uPlot.iife.min.js", "text/javascript"),
                "uPlot.min.css", load(uplot + "uPlot.min.css", "text/css"),
                "portal.css", load(own + "portal.css", "text/css"),
                "portal.js", load(own + "portal.js", "text/javascript"));
    }

    void serve(Context ctx) {
        Asset a = assets.get(ctx.pathParam("name"));
        if (a == null) {
            throw new BoomerangException(PortalError.PORTAL_PAGE_NOT_FOUND, "no asset " + ctx.pathParam("name"), "");
        }
        Gate.headers(ctx);
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(a.contentType() + "; charset=utf-8").result(a.bytes());
    }

    private static String webjarVersion(String artifact) {
        String path = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the WebJar " + artifact + " is not on the classpath (" + path + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static Asset load(String path, String type) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("portal asset missing from the classpath: " + path);
            }
            return new Asset(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
