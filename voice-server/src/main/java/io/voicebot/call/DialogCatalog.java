package io.voicebot.call;

import io.voicebot.dialog.Dialog;

import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The dialogs calls can run, by name: those in config/dialogs at start, and uploaded ones as they arrive. */
public final class DialogCatalog {
    private final Map<String, Dialog> dialogs = new ConcurrentHashMap<>();

    public DialogCatalog(Map<String, Dialog> initial) {
        dialogs.putAll(initial);
    }

    public void put(Dialog dialog) {
        dialogs.put(dialog.name(), dialog);
    }

    public Optional<Dialog> find(String name) {
        return Optional.ofNullable(dialogs.get(name));
    }

    public Dialog get(String name) {
        Dialog d = dialogs.get(name);
        if (d == null) {
            throw new CallException("no dialog named '" + name + "' (known: " + String.join(", ",
                    new TreeSet<>(dialogs.keySet())) + ")");
        }
        return d;
    }

    public Map<String, Dialog> all() {
        return Map.copyOf(dialogs);
    }
}
