package org.boomerang.portal;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The jte templates of {@code src/main/jte}, compiled to Java classes at build time by the
 * jte-maven-plugin (HTML content type: every {@code ${…}} is escaped for where it stands).
 * Thread-safe.
 */
final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        engine.render(template, params, out);
        return out.toString();
    }
}
