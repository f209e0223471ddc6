package org.exportcontrol.simulator.cli;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.Party;
import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.licensing.v1.Advice;
import org.exportcontrol.api.licensing.v1.Application;
import org.exportcontrol.api.licensing.v1.ApplicationContent;
import org.exportcontrol.api.licensing.v1.ApplicationLine;
import org.exportcontrol.api.licensing.v1.ApplicationServiceGrpc;
import org.exportcontrol.api.licensing.v1.CreateApplicationRequest;
import org.exportcontrol.api.licensing.v1.Decision;
import org.exportcontrol.api.licensing.v1.DecideApplicationRequest;
import org.exportcontrol.api.licensing.v1.DocumentRef;
import org.exportcontrol.api.licensing.v1.Enterprise;
import org.exportcontrol.api.licensing.v1.EnterpriseKind;
import org.exportcontrol.api.licensing.v1.EnterpriseServiceGrpc;
import org.exportcontrol.api.licensing.v1.GetApplicationRequest;
import org.exportcontrol.api.licensing.v1.GetEnterpriseRequest;
import org.exportcontrol.api.licensing.v1.GiveConsultationAdviceRequest;
import org.exportcontrol.api.licensing.v1.LicenceType;
import org.exportcontrol.api.licensing.v1.RegisterEnterpriseRequest;
import org.exportcontrol.api.licensing.v1.RequestConsultationRequest;
import org.exportcontrol.api.licensing.v1.ReviewApplicationProvinciallyRequest;
import org.exportcontrol.api.licensing.v1.SubmitApplicationRequest;
import org.exportcontrol.api.licensing.v1.TransportMode;
import org.exportcontrol.api.reporting.v1.Facility;
import org.exportcontrol.api.reporting.v1.FacilityKind;
import org.exportcontrol.api.reporting.v1.FacilityServiceGrpc;
import org.exportcontrol.api.reporting.v1.GetFacilityRequest;
import org.exportcontrol.api.reporting.v1.GetQuotaLedgerRequest;
import org.exportcontrol.api.reporting.v1.QuotaKind;
import org.exportcontrol.api.reporting.v1.QuotaServiceGrpc;
import org.exportcontrol.api.reporting.v1.RegisterFacilityRequest;
import org.exportcontrol.api.reporting.v1.SetQuotaAllocationRequest;
import org.exportcontrol.simulator.data.DemoData;
import org.exportcontrol.simulator.transport.Channels;
import org.exportcontrol.simulator.transport.Tokens;

import com.google.type.Date;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Loads the demo reference data through the services' public gRPC APIs only, each step as the
 * LOCAL DEMO user or service account the platform requires for it. Idempotent: what exists is
 * left alone (looked up first, and request ids are deterministic, so a repeat is answered with
 * the first answer); a second run changes nothing.
 */
@Command(name = "seed", mixinStandardHelpOptions = true,
        description = {"Load the demo reference data (enterprises, facilities, quotas, licences) through the"
                + " services' gRPC APIs. Safe to run again: nothing is created twice."})
public class SeedCommand implements Callable<Integer> {

    /** Bumped when the demo data changes in a way that would reuse a request id for another request. */
    static final String VERSION = "v1";
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    @Spec
    CommandSpec spec;

    @Option(names = "--province", split = ",", paramLabel = "CODE",
            description = "Only these provinces (GB/T 2260 codes; default: every province of the demo data).")
    List<String> provinces = new ArrayList<>();

    @Inject
    Channels channels;
    @Inject
    Tokens tokens;

    private int created;
    private int existing;

    @Override
    public Integer call() {
        DemoData data = DemoData.load();
        List<DemoData.Province> selected = new ArrayList<>();
        for (String code : provinces) {
            selected.add(data.province(code).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "unknown province " + code + "; the demo data has " + codes(data))));
        }
        if (selected.isEmpty()) {
            selected.addAll(data.provinces());
        }
        say("services: " + channels.describe() + "; Keycloak " + tokens.keycloakUrl());
        try {
            int year = LocalDate.now(CHINA).getYear();
            for (DemoData.Province p : selected) {
                enterprises(p);
                facilities(p);
            }
            for (DemoData.Province p : selected) {
                quotas(p, year);
            }
            for (DemoData.Province p : selected) {
                for (DemoData.Licence l : p.licences()) {
                    String number = licence(p, l);
                    say(p.name() + ": licence '" + l.key() + "' " + number + " (" + l.itemCode() + " to "
                            + l.destination() + ", exporter " + l.exporter() + ")");
                }
            }
        } catch (StatusRuntimeException e) {
            System.err.println("[seed] ERROR: " + Calls.describe(e));
            return 1;
        } catch (Tokens.TokenException | SeedException e) {
            System.err.println("[seed] ERROR: " + e.getMessage());
            return 1;
        }
        say("done: " + created + " created, " + existing + " already there");
        return 0;
    }

    static final class SeedException extends RuntimeException {
        SeedException(String message) {
            super(message);
        }
    }

    // ---- enterprises (provincial commerce: the province's licensing officer) -----------------------

    private void enterprises(DemoData.Province p) {
        var stub = Calls.deadline(EnterpriseServiceGrpc.newBlockingStub(channels.licensing())
                .withCallCredentials(tokens.credentials(p.licensingOfficer())));
        int before = created;
        for (DemoData.Enterprise e : p.enterprises()) {
            if (exists(() -> stub.getEnterprise(GetEnterpriseRequest.newBuilder().setCreditCode(e.creditCode()).build()))) {
                existing++;
                continue;
            }
            Enterprise.Builder b = Enterprise.newBuilder().setCreditCode(e.creditCode()).setName(e.name())
                    .setProvinceCode(p.code());
            e.kinds().forEach(k -> b.addKinds(EnterpriseKind.valueOf("ENTERPRISE_KIND_" + k)));
            createOrExists(() -> Calls.deadline(stub).registerEnterprise(RegisterEnterpriseRequest.newBuilder()
                    .setRequestId(id("ent", e.creditCode())).setEnterprise(b).build()));
        }
        say(p.name() + ": " + p.enterprises().size() + " enterprises (" + (created - before) + " new), as "
                + p.licensingOfficer());
    }

    // ---- facilities (the province's own system, as docs/api.md tells an integrator) ----------------

    private void facilities(DemoData.Province p) {
        var stub = FacilityServiceGrpc.newBlockingStub(channels.reporting())
                .withCallCredentials(tokens.credentials(p.code()));
        int before = created;
        for (DemoData.Facility f : p.facilities()) {
            if (exists(() -> Calls.deadline(stub).getFacility(GetFacilityRequest.newBuilder().setId(f.id()).build()))) {
                existing++;
                continue;
            }
            Facility facility = Facility.newBuilder().setId(f.id()).setKind(FacilityKind.valueOf("FACILITY_KIND_" + f.kind()))
                    .setName(f.name()).setEnterpriseCreditCode(f.enterprise()).setProvinceCode(p.code())
                    .setAddress(f.address()).setLatitude(f.latitude()).setLongitude(f.longitude()).build();
            createOrExists(() -> Calls.deadline(stub).registerFacility(RegisterFacilityRequest.newBuilder()
                    .setRequestId(id("fac", f.id())).setFacility(facility).build()));
        }
        say(p.name() + ": " + p.facilities().size() + " facilities (" + (created - before) + " new), as province-"
                + p.code() + "-system");
    }

    // ---- quotas (national industry) ----------------------------------------------------------------

    private void quotas(DemoData.Province p, int year) {
        String officer = "nat-industry-officer";
        var stub = QuotaServiceGrpc.newBlockingStub(channels.reporting()).withCallCredentials(tokens.credentials(officer));
        int before = created;
        for (DemoData.Quota q : p.quotas()) {
            QuotaKind kind = QuotaKind.valueOf("QUOTA_KIND_" + q.kind());
            if (exists(() -> Calls.deadline(stub).getQuotaLedger(GetQuotaLedgerRequest.newBuilder()
                    .setEnterpriseCreditCode(q.enterprise()).setYear(year).setKind(kind).build()))) {
                existing++;
                continue;
            }
            createOrExists(() -> Calls.deadline(stub).setQuotaAllocation(SetQuotaAllocationRequest.newBuilder()
                    .setRequestId(id("quota", q.enterprise() + "-" + year + "-" + q.kind())).setEnterpriseCreditCode(q.enterprise())
                    .setYear(year).setKind(kind).setAllocated(Quantity.newBuilder().setValue(q.tonnesReo())
                            .setUnit(QuantityUnit.QUANTITY_UNIT_TONNE_REO)).build()));
        }
        say(p.name() + ": " + p.quotas().size() + " quota allocations for " + year + " (" + (created - before)
                + " new), as " + officer);
    }

    // ---- licences: application -> provincial review -> consultation -> national decision -----------

    private String licence(DemoData.Province p, DemoData.Licence l) {
        String applicant = p.applicant();
        var asApplicant = ApplicationServiceGrpc.newBlockingStub(channels.licensing())
                .withCallCredentials(tokens.credentials(applicant));
        // a repeat of this request id (same caller, same content) is answered with the same application
        Application a = Calls.deadline(asApplicant).createApplication(CreateApplicationRequest.newBuilder()
                .setRequestId(id("app", p.code() + "-" + l.key())).setContent(content(l)).build()).getApplication();
        String step = "app-" + a.getId();
        for (int guard = 0; guard < 8; guard++) {
            switch (a.getState()) {
                case APPLICATION_STATE_DRAFT -> a = Calls.deadline(asApplicant).submitApplication(
                        SubmitApplicationRequest.newBuilder().setRequestId(id(step, "submit")).setId(a.getId()).build())
                        .getApplication();
                case APPLICATION_STATE_PROVINCIAL_REVIEW -> a = Calls.deadline(ApplicationServiceGrpc
                        .newBlockingStub(channels.licensing()).withCallCredentials(tokens.credentials(p.licensingOfficer())))
                        .reviewApplicationProvincially(ReviewApplicationProvinciallyRequest.newBuilder()
                                .setRequestId(id(step, "province")).setId(a.getId()).setDecision(Decision.DECISION_APPROVE)
                                .setReasons("complete; end-user certificate checked (demo)").build())
                        .getApplication();
                case APPLICATION_STATE_NATIONAL_REVIEW -> a = nationalReview(a, step);
                case APPLICATION_STATE_APPROVED -> {
                    if (a.getLicenceNumber().isEmpty()) {
                        throw new SeedException("application " + a.getId() + " is approved but names no licence");
                    }
                    return a.getLicenceNumber();
                }
                default -> throw new SeedException("application " + a.getId() + " for " + p.name() + " licence '"
                        + l.key() + "' is " + a.getState() + "; the seed does not continue it");
            }
        }
        throw new SeedException("application " + a.getId() + " did not reach a decision");
    }

    /** National commerce consults customs, customs advises, a national reviewer decides. */
    private Application nationalReview(Application a, String step) {
        var officer = ApplicationServiceGrpc.newBlockingStub(channels.licensing())
                .withCallCredentials(tokens.credentials("nat-licensing-officer"));
        if (a.getConsultationsCount() == 0) {
            return Calls.deadline(officer).requestConsultation(RequestConsultationRequest.newBuilder()
                    .setRequestId(id(step, "consult")).setId(a.getId()).addDepartments(Department.DEPARTMENT_CUSTOMS)
                    .build()).getApplication();
        }
        boolean pending = a.getConsultationsList().stream().anyMatch(c -> c.getAdvice() == Advice.ADVICE_UNSPECIFIED);
        if (pending) {
            return Calls.deadline(ApplicationServiceGrpc.newBlockingStub(channels.licensing())
                    .withCallCredentials(tokens.credentials("nat-customs-officer")))
                    .giveConsultationAdvice(GiveConsultationAdviceRequest.newBuilder().setRequestId(id(step, "advice"))
                            .setId(a.getId()).setAdvice(Advice.ADVICE_APPROVE)
                            .setReasons("customs port and tariff line agree with the contract (demo)").build())
                    .getApplication();
        }
        return Calls.deadline(ApplicationServiceGrpc.newBlockingStub(channels.licensing())
                .withCallCredentials(tokens.credentials("nat-licensing-reviewer")))
                .decideApplication(DecideApplicationRequest.newBuilder().setRequestId(id(step, "decide"))
                        .setId(a.getId()).setDecision(Decision.DECISION_APPROVE).setReasons("approved (demo data)").build())
                .getApplication();
    }

    private static ApplicationContent content(DemoData.Licence l) {
        LocalDate contract = LocalDate.parse(l.contractDate());
        return ApplicationContent.newBuilder()
                .setLicenceType(LicenceType.valueOf("LICENCE_TYPE_" + l.type()))
                .setExporterCreditCode(l.exporter())
                .addLines(ApplicationLine.newBuilder()
                        .setItem(ItemRef.newBuilder().setItemCode(l.itemCode()).setTariffCode(l.tariffCode()))
                        .setQuantity(Quantity.newBuilder().setValue(l.kgReo()).setUnit(QuantityUnit.QUANTITY_UNIT_KILOGRAM_REO))
                        .setValue(Money.newBuilder().setAmount(l.value()).setCurrencyCode(l.currency())))
                .setConsignee(Party.newBuilder().setName(l.consignee().name()).setCountryCode(l.consignee().countryCode()))
                .setEndUser(Party.newBuilder().setName(l.endUser().name()).setCountryCode(l.endUser().countryCode()))
                .setEndUse(l.endUse())
                .setDestinationCountryCode(l.destination())
                .setContractNumber(l.contractNumber())
                .setContractDate(Date.newBuilder().setYear(contract.getYear()).setMonth(contract.getMonthValue())
                        .setDay(contract.getDayOfMonth()))
                .setCustomsPort(l.customsPort())
                .setTransportMode(TransportMode.valueOf("TRANSPORT_MODE_" + l.transport()))
                .addDocuments(DocumentRef.newBuilder().setKind("end-user-certificate")
                        .setName("end-user certificate " + l.contractNumber() + " (demo)")
                        .setSha256(sha256(l.contractNumber() + "/end-user-certificate")))
                .addDocuments(DocumentRef.newBuilder().setKind("contract").setName("contract " + l.contractNumber() + " (demo)")
                        .setSha256(sha256(l.contractNumber() + "/contract")))
                .build();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** True if the read finds it; false on NOT_FOUND. */
    private static boolean exists(Runnable read) {
        try {
            read.run();
            return true;
        } catch (StatusRuntimeException e) {
            if (Calls.is(e, Status.Code.NOT_FOUND)) {
                return false;
            }
            throw e;
        }
    }

    /** Creates; ALREADY_EXISTS (someone else made it meanwhile) counts as there. */
    private void createOrExists(Runnable create) {
        try {
            create.run();
            created++;
        } catch (StatusRuntimeException e) {
            if (Calls.is(e, Status.Code.ALREADY_EXISTS)) {
                existing++;
                return;
            }
            throw e;
        }
    }

    /** A deterministic request id (8-64 letters, digits, '-', '_'), the same on every run. */
    static String id(String kind, String key) {
        String id = ("seed-" + VERSION + "-" + kind + "-" + key).replaceAll("[^A-Za-z0-9_-]", "-");
        return id.length() <= 64 ? id : id.substring(0, 48) + "-" + Integer.toHexString(id.hashCode());
    }

    private static String sha256(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String codes(DemoData data) {
        return String.join(", ", data.provinces().stream().map(p -> p.code() + " " + p.name()).toList());
    }

    private static void say(String line) {
        System.out.println("[seed] " + line);
    }

}
