package org.boomerang.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.boomerang.server.TestingCli;
import org.junit.jupiter.api.Test;

/**
 * The server's config keys as the config records have them ({@link ServerConfigKeys}) are the keys
 * docs/configuration.md shows (its server block and its sites block), both ways, and
 * {@code server --help} and {@code server config-keys} print every one.
 */
class ServerConfigKeysTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    private static Set<String> codeKeys() {
        Set<String> keys = new TreeSet<>();
        ServerConfigKeys.all().forEach(k -> keys.add(k.name()));
        return keys;
    }

    /** The keys of the YAML blocks before the lab provider's section: the server's file and its sites. */
    private static Set<String> documentedKeys() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        String serverPart = doc.substring(0, doc.indexOf("### The lab provider"));
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Set<String> keys = new TreeSet<>();
        Matcher m = YAML_BLOCK.matcher(serverPart);
        int blocks = 0;
        while (m.find()) {
            flatten(yaml.readTree(m.group(1)), "", keys);
            blocks++;
        }
        assertThat(blocks).as("yaml blocks of the server config in docs/configuration.md").isEqualTo(2);
        return keys;
    }

    private static void flatten(JsonNode node, String prefix, Set<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(v, key + ".", out);
            } else if (v.isArray()) {
                out.add(key);
                for (JsonNode element : v) {
                    if (element.isObject()) {
                        flatten(element, key + "[].", out);
                    }
                }
            } else {
                out.add(key);
            }
        }
    }

    @Test
    void everyDocumentedKeyExistsInTheCodeAndEveryKeyOfTheCodeIsDocumented() throws Exception {
        Set<String> code = codeKeys();
        Set<String> docs = documentedKeys();
        Set<String> undocumented = new TreeSet<>(code);
        undocumented.removeAll(docs);
        Set<String> unknown = new TreeSet<>(docs);
        unknown.removeAll(code);
        assertThat(undocumented).as("keys of the config records that docs/configuration.md does not show").isEmpty();
        assertThat(unknown).as("keys docs/configuration.md shows that the config records do not have").isEmpty();
        assertThat(code).contains("data", "database.url", "backup.every", "api.max-body-bytes", "sites[].seed", "write-admin-token")
                .doesNotContain("config-folder");
    }

    @Test
    void theDefaultsAreTheRecordsDefaults() {
        Map<String, String> defaults = new java.util.HashMap<>();
        ServerConfigKeys.all().forEach(k -> defaults.put(k.name(), k.defaultValue()));
        assertThat(defaults).containsEntry("port", "8080").containsEntry("bind", "127.0.0.1").containsEntry("backup.every", "1h")
                .containsEntry("backup.keep", "24").containsEntry("database.url", "none").containsEntry("node", "the host name")
                .containsEntry("api.max-body-bytes", Long.toString(1L << 20)).containsEntry("sites", "[]");
    }

    @Test
    void serverHelpListsEveryKeyAndConfigKeysPrintsThemWithTheirDefaults() {
        TestingCli cli = new TestingCli(List.of());
        TestingCli.Run help = cli.plain("server", "--help");
        assertThat(help.exit()).isZero();
        String footer = help.out().substring(help.out().indexOf("Config file keys"));
        for (String key : codeKeys()) {
            assertThat(footer).as("server --help").contains(key);
        }
        TestingCli.Run listing = cli.plain("server", "config-keys");
        assertThat(listing.exit()).isZero();
        for (ServerConfigKeys.Key k : ServerConfigKeys.all()) {
            assertThat(listing.out()).as("server config-keys").containsPattern("(?m)^" + Pattern.quote(k.name()) + " +" + Pattern.quote(k.defaultValue()) + "$");
        }
    }
}
