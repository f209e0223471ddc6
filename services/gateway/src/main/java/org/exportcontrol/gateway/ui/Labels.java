package org.exportcontrol.gateway.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.quarkus.qute.TemplateExtension;

/**
 * Labels in English and Simplified Chinese ({@code i18n/labels*.properties}), and times in China
 * Standard Time (stored and carried in UTC). In templates: {@code {t:nav_dashboard}} for a fixed
 * label, {@code {t:of(alert.state)}} for a value such as an enum name, {@code {cst:time(ts)}} and {@code {cst:date(d)}}.
 */
public final class Labels {

    public static final Locale ZH = Locale.forLanguageTag("zh-CN");
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter CST = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(CHINA);
    private static final Map<String, Properties> BUNDLES = Map.of("en", load("i18n/labels.properties"), "zh",
            load("i18n/labels_zh.properties"));

    private Labels() {
    }

    static Properties load(String resource) {
        Properties p = new Properties();
        try (InputStream in = Labels.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    public static Properties bundle(Locale locale) {
        return BUNDLES.get(locale != null && locale.getLanguage().equals("zh") ? "zh" : "en");
    }

    /** The label for a key in the page's language; English, then the key itself, when missing. */
    public static String label(String key, Object locale) {
        String k = key.replace('.', '_');
        String value = bundle(locale instanceof Locale l ? l : Locale.ENGLISH).getProperty(k);
        if (value == null) {
            value = BUNDLES.get("en").getProperty(k);
        }
        return value != null ? value : humanize(key);
    }

    /** APPLICATION_STATE_SUBMITTED -> "submitted" when no label is defined. */
    static String humanize(String key) {
        return key.replaceFirst("^[A-Z]+_(STATE|KIND|SEVERITY|RESULT)_", "").replace('_', ' ').toLowerCase(Locale.ROOT);
    }

    @TemplateExtension(namespace = "t", matchName = TemplateExtension.ANY)
    static String fixed(String key, @TemplateExtension.TemplateAttribute("locale") Object locale) {
        return label(key, locale);
    }

    @TemplateExtension(namespace = "t")
    static String of(Object key, @TemplateExtension.TemplateAttribute("locale") Object locale) {
        return key == null || key.toString().isBlank() ? "" : label(key.toString(), locale);
    }

    /** A google.type.Date (as a map of year, month, day) as YYYY-MM-DD; empty when unset. */
    @TemplateExtension(namespace = "cst")
    static String date(Object date) {
        if (date instanceof Map<?, ?> d && d.get("year") instanceof Number y && d.get("month") instanceof Number m
                && d.get("day") instanceof Number day && y.intValue() > 0) {
            return "%04d-%02d-%02d".formatted(y.intValue(), m.intValue(), day.intValue());
        }
        return "";
    }

    /** An RFC 3339 UTC instant as China Standard Time; empty for an unset timestamp. */
    @TemplateExtension(namespace = "cst")
    static String time(Object utc) {
        if (!(utc instanceof String) || utc.toString().isBlank() || utc.toString().startsWith("1970-01-01T00:00:00")) {
            return "";
        }
        try {
            return CST.format(Instant.parse(utc.toString())) + " CST";
        } catch (DateTimeParseException e) {
            return utc.toString();
        }
    }
}
