package io.voicebot.telephony.ami;

import org.asteriskjava.manager.event.ManagerEvent;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Turns Asterisk-Java's mutable events into {@link AmiEvent}s; nothing of Asterisk-Java leaves this package. */
final class AmiEvents {
    /** Asterisk's event names where Asterisk-Java's class name differs from them. */
    private static final Map<String, String> NAMES = Map.of(
            "NewChannelEvent", "Newchannel",
            "NewStateEvent", "Newstate",
            "NewExtenEvent", "Newexten",
            "NewCallerIdEvent", "NewCallerid",
            "VarSetEvent", "VarSet");

    private final Map<Class<?>, Method[]> getters = new ConcurrentHashMap<>();

    /** Asterisk's name of the event, e.g. "Hangup" for HangupEvent. */
    static String name(ManagerEvent e) {
        String simple = e.getClass().getSimpleName();
        String known = NAMES.get(simple);
        if (known != null) {
            return known;
        }
        return simple.endsWith("Event") ? simple.substring(0, simple.length() - "Event".length()) : simple;
    }

    /** Fields are Asterisk-Java's bean properties (e.g. "UniqueId", "CauseTxt"); null values are left out. */
    AmiEvent convert(ManagerEvent e) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Method m : getters.computeIfAbsent(e.getClass(), AmiEvents::gettersOf)) {
            try {
                Object v = m.invoke(e);
                if (v != null && !(v instanceof Date) && !(v instanceof Map)) {
                    fields.put(m.getName().substring(3), String.valueOf(v));
                }
            } catch (ReflectiveOperationException | RuntimeException ex) {
                // a getter that throws has no value to report
            }
        }
        return new AmiEvent(name(e), fields);
    }

    private static Method[] gettersOf(Class<?> type) {
        return java.util.Arrays.stream(type.getMethods())
                .filter(m -> m.getName().startsWith("get") && m.getName().length() > 3)
                .filter(m -> m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !m.getName().equals("getClass") && !m.getName().equals("getSource"))
                .toArray(Method[]::new);
    }
}
