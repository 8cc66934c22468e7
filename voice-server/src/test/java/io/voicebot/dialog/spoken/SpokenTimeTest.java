package io.voicebot.dialog.spoken;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.*;

class SpokenTimeTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    /** Monday 2 March 2026, 10:00. */
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 3, 2, 10, 0, 0, 0, ZONE);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "call me tomorrow at three                | 2026-03-03T15:00",
            "tomorrow at 3                            | 2026-03-03T15:00",
            "in two hours                             | 2026-03-02T12:00",
            "in an hour and a half                    | 2026-03-02T11:30",
            "in half an hour                          | 2026-03-02T10:30",
            "in twenty minutes                        | 2026-03-02T10:20",
            "Monday morning                           | 2026-03-09T09:00",
            "next friday afternoon                    | 2026-03-06T14:00",
            "this evening                             | 2026-03-02T18:00",
            "at half past four                        | 2026-03-02T16:30",
            "at nine                                  | 2026-03-03T09:00",
            "at nine in the morning on wednesday      | 2026-03-04T09:00",
            "at eight p m                             | 2026-03-02T20:00",
            "at three thirty tomorrow                 | 2026-03-03T15:30",
            "quarter to five on thursday              | 2026-03-05T16:45",
            "tomorrow                                 | 2026-03-03T10:00",
            "the day after tomorrow at noon           | 2026-03-04T12:00",
            "on the fifteenth                         | 2026-03-15T10:00",
            "march twenty first at two                | 2026-03-21T14:00",
            "in two days                              | 2026-03-04T10:00",
            "call me at 7:15 pm                       | 2026-03-02T19:15",
    })
    void dateTimes(String text, String expected) {
        assertEquals(LocalDateTime.parse(expected).atZone(ZONE), SpokenTime.dateTime(text, NOW).orElseThrow(
                () -> new AssertionError("not parsed: " + text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"later", "call me back", "whenever you like", "yesterday at three", "at twenty five"})
    void notATime(String text) {
        assertTrue(SpokenTime.dateTime(text, NOW).isEmpty(), text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "next friday                   | 2026-03-06",
            "friday                        | 2026-03-06",
            "monday                        | 2026-03-09",
            "the first                     | 2026-04-01",
            "on the 2nd                    | 2026-03-02",
            "the fifteenth of june         | 2026-06-15",
            "february tenth                | 2027-02-10",
            "end of the month              | 2026-03-31",
            "next week                     | 2026-03-09",
            "2026-05-01                    | 2026-05-01",
            "in two weeks                  | 2026-03-16",
    })
    void dates(String text, String expected) {
        assertEquals(LocalDate.parse(expected), SpokenTime.date(text, NOW.toLocalDate())
                .or(() -> SpokenTime.dateTime(text, NOW).map(ZonedDateTime::toLocalDate)).orElseThrow(
                        () -> new AssertionError("not parsed: " + text)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "twenty five                              | 25",
            "two hundred and fifty                    | 250",
            "one thousand two hundred                 | 1200",
            "a hundred                                | 100",
            "four one two                             | 412",
            "three point five                         | 3.5",
            "about 40 I think                         | 40",
            "twelve hundred                           | 1200",
    })
    void numbers(String text, String expected) {
        assertEquals(new BigDecimal(expected), SpokenNumbers.number(text).orElseThrow());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "two hundred fifty dollars and forty cents | 250.40",
            "fifty cents                               | 0.50",
            "ninety nine dollars                       | 99",
            "$120.75                                   | 120.75",
    })
    void amounts(String text, String expected) {
        assertEquals(0, new BigDecimal(expected).compareTo(SpokenNumbers.amount(text).orElseThrow()), text);
    }
}
