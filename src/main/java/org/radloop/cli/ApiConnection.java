package org.radloop.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.radloop.api.ApiToken;
import org.radloop.config.RadLoopSettings;
import picocli.CommandLine.Option;

/**
 * Where the running engine's API is and how to prove who we are, shared by the commands that talk to
 * it. Defaults follow the engine's own settings so that on the engine's machine no option is needed.
 */
final class ApiConnection {

    @Option(names = "--url", paramLabel = "URL",
            description = "The engine's HTTP address. Default: http://127.0.0.1:<radloop.http.port from conf/radloop.properties or RADLOOP_HTTP_PORT>.")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The API token. Default: RADLOOP_API_TOKEN, else radloop.api.token, else the file api-token in the engine's data folder.")
    String token;

    @Option(names = "--home", paramLabel = "DIR",
            description = "RadLoop's folder, where conf/radloop.properties is. Default: the current folder.")
    Path home = Path.of(System.getProperty("radloop.home", "."));

    ApiClient client() {
        RadLoopSettings settings = null;
        String base = url;
        if (base == null) {
            settings = RadLoopSettings.load(home);
            base = "http://127.0.0.1:" + settings.get("radloop.http.port", "8080");
        }
        String bearer = token;
        if (bearer == null) {
            if (settings == null) settings = RadLoopSettings.load(home);
            bearer = settings.get("radloop.api.token", null);
            if (bearer == null) bearer = readTokenFile(ApiToken.fileIn(settings.dataDir()));
        }
        return new ApiClient(base, bearer);
    }

    private static String readTokenFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new ApiClient.Unreachable("No API token given and " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "). Pass --token, set RADLOOP_API_TOKEN, or run this where the engine's data folder is.");
        }
    }
}
