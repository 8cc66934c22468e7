package io.voicebot.log;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends java.util.logging (Sphinx4 uses it) to logback, so it has the same format and levels as everything else
 * (logback.xml sets edu.cmu.sphinx to WARN; its LevelChangePropagator keeps JUL's levels in step).
 *
 * <p>Sphinx4 replaces the JUL root handler with its own console output at INFO every time it loads a model,
 * unless {@code java.util.logging.config.class} or {@code .file} is set; naming this class there stops that. JUL
 * instantiates it only if it reads its configuration after that, and the constructor then does nothing more.
 */
public final class JulBridge {
    public JulBridge() {
        // the bridge is installed by install(); JUL needs a public constructor for config.class
    }

    public static synchronized void install() {
        if (System.getProperty("java.util.logging.config.class") == null
                && System.getProperty("java.util.logging.config.file") == null) {
            System.setProperty("java.util.logging.config.class", JulBridge.class.getName());
        }
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
