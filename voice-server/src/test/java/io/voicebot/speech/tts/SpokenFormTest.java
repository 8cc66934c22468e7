package io.voicebot.speech.tts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;
import java.time.LocalTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SpokenFormTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|zero", "7|seven", "13|thirteen", "20|twenty", "42|forty two", "100|one hundred",
        "101|one hundred one", "999|nine hundred ninety nine", "1000|one thousand", "1250|one thousand two hundred fifty",
        "1000001|one million one", "2000000000|two billion", "-15|minus fifteen",
        "9223372036854775807|nine quintillion two hundred twenty three quadrillion three hundred seventy two trillion"
            + " thirty six billion eight hundred fifty four million seven hundred seventy five thousand eight hundred seven",
    })
    void cardinals(long n, String words) {
        assertEquals(words, SpokenForm.cardinal(n));
    }

    @Test
    void smallestLong() {
        assertEquals("minus nine quintillion two hundred twenty three quadrillion three hundred seventy two trillion"
                + " thirty six billion eight hundred fifty four million seven hundred seventy five thousand eight"
                + " hundred eight", SpokenForm.cardinal(Long.MIN_VALUE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|first", "2|second", "3|third", "4|fourth", "5|fifth", "8|eighth", "9|ninth", "11|eleventh", "12|twelfth",
        "20|twentieth", "21|twenty first", "23|twenty third", "30|thirtieth", "100|one hundredth",
        "1001|one thousand first", "3rd|third", "22nd|twenty second", "1,000|one thousandth",
    })
    void ordinals(String n, String words) {
        assertEquals(words, SpokenForm.ordinal(n));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1,250|one thousand two hundred fifty", "1250|one thousand two hundred fifty", "3.5|three point five",
        "-3.05|minus three point zero five", "+12|twelve", "0.25|zero point two five",
        "1,234,567|one million two hundred thirty four thousand five hundred sixty seven",
    })
    void numbers(String n, String words) {
        assertEquals(words, SpokenForm.number(n));
    }

    @Test
    void badNumbers() {
        assertEquals("'12,50' is not a number",
                assertThrows(IllegalArgumentException.class, () -> SpokenForm.number("12,50")).getMessage());
        assertEquals("'abc' is not a number",
                assertThrows(IllegalArgumentException.class, () -> SpokenForm.number("abc")).getMessage());
        assertEquals("'x' is not a whole number",
                assertThrows(IllegalArgumentException.class, () -> SpokenForm.ordinal("x")).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "125.50|USD|one hundred twenty five dollars and fifty cents",
        "125.5|USD|one hundred twenty five dollars and fifty cents",
        "1.00|USD|one dollar", "1|USD|one dollar", "0.01|USD|one cent", "0.99|USD|ninety nine cents",
        "0|USD|zero dollars", "2.01|USD|two dollars and one cent",
        "1,250.75|USD|one thousand two hundred fifty dollars and seventy five cents",
        "$12.30|EUR|twelve dollars and thirty cents", "12.30 EUR|USD|twelve euros and thirty cents",
        "EUR 1|USD|one euro", "€5|USD|five euros", "£3.01|USD|three pounds and one penny",
        "3.50|GBP|three pounds and fifty pence", "12 gbp|USD|twelve pounds", "-$4.50|USD|minus four dollars and fifty cents",
        "1000000|eur|one million euros",
    })
    void money(String amount, String currency, String words) {
        assertEquals(words, SpokenForm.money(amount, currency));
    }

    @Test
    void badMoney() {
        assertEquals("'12.345' has more than two decimal places",
                assertThrows(IllegalArgumentException.class, () -> SpokenForm.money("12.345", "USD")).getMessage());
        assertEquals("'ten' is not an amount of money",
                assertThrows(IllegalArgumentException.class, () -> SpokenForm.money("ten", "USD")).getMessage());
        assertEquals("unknown currency 'JPY' (known: USD, EUR, GBP)",
                assertThrows(IllegalArgumentException.class, () -> SpokenForm.money("5", "JPY")).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-12-03|December third, twenty twenty six", "2026-01-01|January first, twenty twenty six",
        "2000-02-29|February twenty ninth, two thousand", "2008-07-04|July fourth, two thousand eight",
        "2010-05-22|May twenty second, twenty ten", "1999-12-31|December thirty first, nineteen ninety nine",
        "1905-03-10|March tenth, nineteen oh five", "1900-06-30|June thirtieth, nineteen hundred",
    })
    void dates(String iso, String words) {
        assertEquals(words, SpokenForm.date(iso));
    }

    @Test
    void datesFromObjectsAndBadDates() {
        assertEquals("December third, twenty twenty six", SpokenForm.date(LocalDate.of(2026, 12, 3)));
        assertEquals("'2026-02-30' is not a date in the form YYYY-MM-DD",
                assertThrows(IllegalArgumentException.class, () -> SpokenForm.date("2026-02-30")).getMessage());
        assertEquals("'03/12/2026' is not a date in the form YYYY-MM-DD",
                assertThrows(IllegalArgumentException.class, () -> SpokenForm.date("03/12/2026")).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "14:30|two thirty P M", "09:05|nine oh five A M", "12:00|twelve noon", "00:00|twelve midnight",
        "00:15|twelve fifteen A M", "15:00|three P M", "12:45|twelve forty five P M", "23:59:30|eleven fifty nine P M",
    })
    void times(String t, String words) {
        assertEquals(words, SpokenForm.time(t));
    }

    @Test
    void timeObjectsAndBadTimes() {
        assertEquals("seven ten A M", SpokenForm.time(LocalTime.of(7, 10)));
        assertEquals("'25:00' is not a time in the form HH:MM (24-hour clock)",
                assertThrows(IllegalArgumentException.class, () -> SpokenForm.time("25:00")).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "4411|four, four, one, one", "0|zero", "+1 (555) 010-01|plus, one, five, five, five, zero, one, zero, zero, one",
        "AB-12|A, B, one, two", "*72#|star, seven, two, pound",
    })
    void digits(String s, String words) {
        assertEquals(words, SpokenForm.digits(s));
    }

    @Test
    void badDigits() {
        assertEquals("'12_3' has a character that cannot be read out: '_' at position 3",
                assertThrows(IllegalArgumentException.class, () -> SpokenForm.digits("12_3")).getMessage());
        assertEquals("' - ' has no digits to read out",
                assertThrows(IllegalArgumentException.class, () -> SpokenForm.digits(" - ")).getMessage());
    }
}
