package io.voicebot.config;

import java.util.ArrayList;
import java.util.List;

/** Secrets still at the sample value the project ships (config/voicebot.properties, dialplans/manager_voicebot.conf). */
public final class SampleSecrets {
    /** The AMI secret in both shipped files; anyone who read them knows it. */
    public static final String SAMPLE_AMI_SECRET = "change-me";

    private SampleSecrets() {}

    /** One warning per secret in use that anyone can know; never the secret itself unless it is the sample. */
    public static List<String> warnings(VoicebotConfig config) {
        List<String> w = new ArrayList<>();
        if (config.ami().enabled()) {
            if (config.ami().secret().equals(SAMPLE_AMI_SECRET)) {
                w.add("ami.secret is still the shipped sample '" + SAMPLE_AMI_SECRET + "': set a real one in "
                        + "manager_voicebot.conf and in ami.secret (or VOICEBOT_AMI_SECRET)");
            } else if (config.ami().secret().isEmpty()) {
                w.add("ami.secret is empty: set the secret of the manager_voicebot.conf user");
            }
        }
        return w;
    }
}
