package io.voicebot.speech.tts;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptTemplateTest {

    @Test
    void paymentReminderSoundsRight() {
        PromptTemplate t = PromptTemplate.parse("reminder",
                "Hello ${name}, your payment of ${amount:money} is due on ${due_date:date}.");
        assertEquals(List.of("name", "amount", "due_date"), List.copyOf(t.variables()));
        assertFalse(t.isConstant());
        assertEquals("Hello Anna Smith, your payment of one hundred twenty five dollars and fifty cents is due on"
                        + " December third, twenty twenty six.",
                t.render(Map.of("name", "Anna Smith", "amount", "125.50", "due_date", "2026-12-03")));
    }

    @Test
    void currencyFromVariableOrFromTheAmount() {
        PromptTemplate t = PromptTemplate.parse("balance", "You owe ${amount:money}.");
        assertEquals("You owe twelve euros.", t.render(Map.of("amount", "12", "currency", "EUR")));
        assertEquals("You owe twelve pounds.", t.render(Map.of("amount", "£12", "currency", "EUR")));
        assertEquals("You owe twelve dollars and five cents.", t.render(Map.of("amount", new BigDecimal("12.05"))));
    }

    @Test
    void everyFormat() {
        PromptTemplate t = PromptTemplate.parse("all",
                "${n:number}|${a:digits}|${o:ordinal}|${t:time}|${d:date}|${x:text}|${x}");
        assertEquals("one thousand two hundred fifty|four, four, one, one|third|two thirty P M|"
                        + "May first, twenty twenty seven|1,250|1,250",
                t.render(Map.of("n", "1,250", "a", "4411", "o", "3", "t", "14:30", "d", "2027-05-01",
                        "x", "1,250")));
    }

    @Test
    void typedValuesWithoutAFormatGetTheirNaturalForm() {
        PromptTemplate t = PromptTemplate.parse("typed", "${n} / ${d} / ${t} / ${dt} / ${b}");
        assertEquals("forty two / December third, twenty twenty six / nine oh five A M / "
                        + "January second, twenty twenty seven at four P M / three point five",
                t.render(Map.of("n", 42, "d", LocalDate.of(2026, 12, 3), "t", LocalTime.of(9, 5),
                        "dt", LocalDateTime.of(2027, 1, 2, 16, 0), "b", new BigDecimal("3.5"))));
        PromptTemplate typedWithHint = PromptTemplate.parse("typed2", "${d:date} at ${d:time}");
        assertEquals("January second, twenty twenty seven at four P M",
                typedWithHint.render(Map.of("d", LocalDateTime.of(2027, 1, 2, 16, 0))));
    }

    @Test
    void plainTextAndEscapes() {
        PromptTemplate t = PromptTemplate.parse("plain", "Costs $5, literal $${x} and ${ name }.");
        assertEquals(List.of("name"), List.copyOf(t.variables()));
        assertEquals("Costs $5, literal ${x} and Bob.", t.render(Map.of("name", "Bob")));
        PromptTemplate constant = PromptTemplate.parse("welcome", "Welcome to the bank.");
        assertTrue(constant.isConstant());
        assertEquals("Welcome to the bank.", constant.render(Map.of()));
    }

    @Test
    void unknownVariableNamesTheVariableAndTheTemplate() {
        PromptTemplate t = PromptTemplate.parse("reminder", "Hello ${name}, you owe ${amount:money}.");
        TemplateException e = assertThrows(TemplateException.class, () -> t.render(Map.of("name", "Ann")));
        assertEquals("template 'reminder': variable 'amount' is not set (${amount:money} at column 24)",
                e.getMessage());
    }

    @Test
    void valueThatDoesNotFitItsFormat() {
        PromptTemplate t = PromptTemplate.parse("reminder", "Due on ${due:date}.");
        TemplateException e = assertThrows(TemplateException.class, () -> t.render(Map.of("due", "tomorrow")));
        assertEquals("template 'reminder': ${due:date}: 'tomorrow' is not a date in the form YYYY-MM-DD",
                e.getMessage());
        PromptTemplate m = PromptTemplate.parse("m", "${a:money}");
        e = assertThrows(TemplateException.class, () -> m.render(Map.of("a", "5", "currency", "XYZ")));
        assertEquals("template 'm': ${a:money}: unknown currency 'XYZ' (known: USD, EUR, GBP)", e.getMessage());
    }

    @Test
    void syntaxErrorsNameTheColumn() {
        assertEquals("template 't': '${' at column 7 is not closed with '}'",
                assertThrows(TemplateException.class, () -> PromptTemplate.parse("t", "Hello ${name")).getMessage());
        assertEquals("template 't': unknown format 'mony' for variable 'amount' at column 5 (known: text, number,"
                        + " money, date, time, digits, ordinal)",
                assertThrows(TemplateException.class, () -> PromptTemplate.parse("t", "Pay ${amount:mony}"))
                        .getMessage());
        assertEquals("template 't': invalid variable name '1x' at column 1 (letters, digits, '_' and '.'; not"
                        + " starting with a digit)",
                assertThrows(TemplateException.class, () -> PromptTemplate.parse("t", "${1x}")).getMessage());
        assertEquals("template 't': invalid variable name '' at column 3 (letters, digits, '_' and '.'; not"
                        + " starting with a digit)",
                assertThrows(TemplateException.class, () -> PromptTemplate.parse("t", "a ${}")).getMessage());
    }
}
