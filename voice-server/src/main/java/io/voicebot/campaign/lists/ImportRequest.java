package io.voicebot.campaign.lists;

import java.util.Set;

/**
 * What to import: the new list's name, the region of numbers written without +country code (null: the server's
 * phone.default.region), the dialog the list is meant for (may be null) and the contact fields that dialog needs
 * in every row ("name" is the name column; "phone" is always needed), and how to name the file in messages.
 */
public record ImportRequest(String name, String region, String dialog, Set<String> requiredFields, String fileName) {
    public ImportRequest {
        requiredFields = requiredFields == null ? Set.of() : Set.copyOf(requiredFields);
        if (fileName == null || fileName.isBlank()) {
            throw new IllegalArgumentException("fileName must not be empty");
        }
    }
}
