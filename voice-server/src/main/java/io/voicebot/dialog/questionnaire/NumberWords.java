package io.voicebot.dialog.questionnaire;

/** Small whole numbers as English words, for generated prompts ("from one to ten"). */
final class NumberWords {
    private static final String[] UNITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety"};

    private NumberWords() {}

    static String of(long n) {
        if (n < 0) {
            return "minus " + of(-n);
        }
        if (n < 20) {
            return UNITS[(int) n];
        }
        if (n < 100) {
            return TENS[(int) (n / 10)] + (n % 10 == 0 ? "" : " " + UNITS[(int) (n % 10)]);
        }
        if (n < 1000) {
            return UNITS[(int) (n / 100)] + " hundred" + (n % 100 == 0 ? "" : " and " + of(n % 100));
        }
        if (n < 1_000_000) {
            return of(n / 1000) + " thousand" + (n % 1000 == 0 ? "" : " " + of(n % 1000));
        }
        return of(n / 1_000_000) + " million" + (n % 1_000_000 == 0 ? "" : " " + of(n % 1_000_000));
    }
}
