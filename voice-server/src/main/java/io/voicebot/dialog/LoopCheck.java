package io.voicebot.dialog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dialog that loops forever: a cycle of steps none of which waits for the caller (no ask) and none of which
 * decides (no branch), so once entered the call never leaves it — saying the same words, or calling the same
 * webhook, until the call's step limit gives up. Refused when the dialog is loaded or uploaded, naming the steps.
 * Cycles through an ask (a question asked again) or a branch (a counted retry) are left alone.
 */
final class LoopCheck {
    private LoopCheck() {}

    /** One problem per loop found, as "step loop without a question or branch: a -> b -> a". */
    static List<String> problems(String source, Map<String, Step> steps) {
        List<String> out = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>(); // 1: on the current path, 2: done
        for (String id : steps.keySet()) {
            if (!state.containsKey(id)) {
                visit(id, steps, state, new ArrayList<>(), out, source);
            }
        }
        return out;
    }

    private static boolean passes(Step s) {
        return s != null && !(s instanceof Step.Ask) && !(s instanceof Step.Branch);
    }

    private static void visit(String id, Map<String, Step> steps, Map<String, Integer> state, List<String> path,
                              List<String> out, String source) {
        state.put(id, 1);
        path.add(id);
        Step s = steps.get(id);
        if (passes(s)) {
            for (String next : DialogCompiler.targets(s).stream().filter(Objects::nonNull).distinct().toList()) {
                Integer st = state.get(next);
                if (st == null) {
                    visit(next, steps, state, path, out, source);
                } else if (st == 1 && passes(steps.get(next))) {
                    List<String> loop = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                    loop.add(next);
                    out.add(source + ": step loop without a question or branch, the call would never leave it: "
                            + String.join(" -> ", loop));
                }
            }
        }
        path.remove(path.size() - 1);
        state.put(id, 2);
    }
}
