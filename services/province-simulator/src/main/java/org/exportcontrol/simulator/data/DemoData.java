package org.exportcontrol.simulator.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The LOCAL DEMO reference data (resource {@code demo-data.json}): per province its enterprises,
 * facilities, quota allocations, licences to apply for, and the shape of its chain. Facts are
 * copied from public announcements (see the file's comment); enterprises are demo enterprises.
 */
public record DemoData(List<Province> provinces) {

    public static final String RESOURCE = "demo-data.json";

    public record Province(String code, String name, String licensingOfficer, String applicant,
            List<Enterprise> enterprises, List<Facility> facilities, List<Quota> quotas, List<Licence> licences,
            Chain chain) {

        public Facility facility(String id) {
            return facilities.stream().filter(f -> f.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("demo data: no facility " + id + " in " + code));
        }

        public Licence licence(String key) {
            return licences.stream().filter(l -> l.key().equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("demo data: no licence '" + key + "' in " + code));
        }
    }

    /** {@code kinds}: MINER, SEPARATOR, SMELTER, MANUFACTURER, TRADER. */
    public record Enterprise(String creditCode, String name, List<String> kinds) {
    }

    /** {@code kind}: MINE, SEPARATION_PLANT, SMELTER, MANUFACTURER, WAREHOUSE, PORT, BORDER_CROSSING. */
    public record Facility(String id, String kind, String name, String enterprise, String address, String latitude,
            String longitude) {
    }

    /** {@code kind}: MINING or SMELTING_SEPARATION; allocated in tonnes REO for the current year. */
    public record Quota(String enterprise, String kind, String tonnesReo) {
    }

    public record Party(String name, String countryCode) {
    }

    /** A licence the seed applies for (key "main": the province's usual exports; "oman": the transshipment case). */
    public record Licence(String key, String type, String exporter, String itemCode, String tariffCode, String kgReo,
            String value, String currency, String destination, Party consignee, Party endUser, String endUse,
            String contractNumber, String contractDate, String customsPort, String transport) {
    }

    /** One output of separation; {@code to}: EXPORT, MAGNETS or WAREHOUSE. */
    public record Output(String material, String itemCode, String tariffCode, String share, String to) {
    }

    public record Money(String amount, String currency) {
    }

    /** The facilities a chain runs through and its proportions (quantities in kg REO). */
    public record Chain(List<String> mines, String quotaMine, String separationPlant, String leakPlant,
            String magnetMaker, String warehouse, String exportPoint, String ore, List<String> lotKgReo,
            List<String> quotaOverrunKgReo, List<Output> outputs, String exportShare, Money unitPrice, String carrier,
            String vesselOrFlight, String product) {
    }

    public Optional<Province> province(String code) {
        return provinces.stream().filter(p -> p.code().equals(code)).findFirst();
    }

    public static DemoData load() {
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try (InputStream in = DemoData.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return mapper.readValue(in, DemoData.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
