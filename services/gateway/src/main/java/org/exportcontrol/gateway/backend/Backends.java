package org.exportcontrol.gateway.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.common.v1.MutinyAuditServiceGrpc.MutinyAuditServiceStub;
import org.exportcontrol.api.enforcement.v1.MutinyAlertServiceGrpc.MutinyAlertServiceStub;
import org.exportcontrol.api.enforcement.v1.MutinyCaseServiceGrpc.MutinyCaseServiceStub;
import org.exportcontrol.api.enforcement.v1.MutinyDirectiveServiceGrpc.MutinyDirectiveServiceStub;
import org.exportcontrol.api.enforcement.v1.MutinyRuleServiceGrpc.MutinyRuleServiceStub;
import org.exportcontrol.api.licensing.v1.MutinyApplicationServiceGrpc.MutinyApplicationServiceStub;
import org.exportcontrol.api.licensing.v1.MutinyControlListServiceGrpc.MutinyControlListServiceStub;
import org.exportcontrol.api.licensing.v1.MutinyEnterpriseServiceGrpc.MutinyEnterpriseServiceStub;
import org.exportcontrol.api.licensing.v1.MutinyLicenceServiceGrpc.MutinyLicenceServiceStub;
import org.exportcontrol.api.notification.v1.MutinyInboxServiceGrpc.MutinyInboxServiceStub;
import org.exportcontrol.api.reporting.v1.MutinyChainEventServiceGrpc.MutinyChainEventServiceStub;
import org.exportcontrol.api.reporting.v1.MutinyExportStatisticsServiceGrpc.MutinyExportStatisticsServiceStub;
import org.exportcontrol.api.reporting.v1.MutinyFacilityServiceGrpc.MutinyFacilityServiceStub;
import org.exportcontrol.api.reporting.v1.MutinyQuotaServiceGrpc.MutinyQuotaServiceStub;
import org.exportcontrol.api.reporting.v1.MutinySupervisionServiceGrpc.MutinySupervisionServiceStub;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.security.Caller;

import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcClient;

/**
 * The four services (and their audit chains), called over gRPC as the signed-in person: every stub
 * handed out carries that person's access token and a deadline. The services check the token
 * again; the gateway is not the only wall.
 */
@ApplicationScoped
public class Backends {

    public static final String LICENSING = "licensing";
    public static final String REPORTING = "provincial-reporting";
    public static final String ENFORCEMENT = "enforcement-coordination";
    public static final String NOTIFICATION = "notification";

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @ConfigProperty(name = "gateway.backend-deadline", defaultValue = "10s")
    java.time.Duration deadline;

    @GrpcClient("licensing")
    MutinyApplicationServiceStub applications;
    @GrpcClient("licensing")
    MutinyLicenceServiceStub licences;
    @GrpcClient("licensing")
    MutinyEnterpriseServiceStub enterprises;
    @GrpcClient("licensing")
    MutinyControlListServiceStub controlList;
    @GrpcClient("licensing")
    MutinyAuditServiceStub licensingAudit;

    @GrpcClient("reporting")
    MutinyChainEventServiceStub chainEvents;
    @GrpcClient("reporting")
    MutinyFacilityServiceStub facilities;
    @GrpcClient("reporting")
    MutinyQuotaServiceStub quotas;
    @GrpcClient("reporting")
    MutinySupervisionServiceStub supervision;
    @GrpcClient("reporting")
    MutinyExportStatisticsServiceStub exportStatistics;
    @GrpcClient("reporting")
    MutinyAuditServiceStub reportingAudit;

    @GrpcClient("enforcement")
    MutinyAlertServiceStub alerts;
    @GrpcClient("enforcement")
    MutinyCaseServiceStub cases;
    @GrpcClient("enforcement")
    MutinyDirectiveServiceStub directives;
    @GrpcClient("enforcement")
    MutinyRuleServiceStub rules;
    @GrpcClient("enforcement")
    MutinyAuditServiceStub enforcementAudit;

    @GrpcClient("notification")
    MutinyInboxServiceStub inbox;
    @GrpcClient("notification")
    MutinyAuditServiceStub notificationAudit;

    /** The stub, carrying the caller's token and this request's deadline. */
    public <S extends AbstractStub<S>> S as(Caller caller, S stub) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + caller.accessToken());
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public MutinyApplicationServiceStub applications(Caller c) {
        return as(c, applications);
    }

    public MutinyLicenceServiceStub licences(Caller c) {
        return as(c, licences);
    }

    public MutinyEnterpriseServiceStub enterprises(Caller c) {
        return as(c, enterprises);
    }

    public MutinyControlListServiceStub controlList(Caller c) {
        return as(c, controlList);
    }

    public MutinyChainEventServiceStub chainEvents(Caller c) {
        return as(c, chainEvents);
    }

    public MutinyFacilityServiceStub facilities(Caller c) {
        return as(c, facilities);
    }

    public MutinyQuotaServiceStub quotas(Caller c) {
        return as(c, quotas);
    }

    public MutinySupervisionServiceStub supervision(Caller c) {
        return as(c, supervision);
    }

    public MutinyExportStatisticsServiceStub exportStatistics(Caller c) {
        return as(c, exportStatistics);
    }

    public MutinyAlertServiceStub alerts(Caller c) {
        return as(c, alerts);
    }

    public MutinyCaseServiceStub cases(Caller c) {
        return as(c, cases);
    }

    public MutinyDirectiveServiceStub directives(Caller c) {
        return as(c, directives);
    }

    public MutinyRuleServiceStub rules(Caller c) {
        return as(c, rules);
    }

    public MutinyInboxServiceStub inbox(Caller c) {
        return as(c, inbox);
    }

    /** The audit chains of the four services by name (the gateway's own is read locally). */
    public Map<String, MutinyAuditServiceStub> auditChains() {
        Map<String, MutinyAuditServiceStub> chains = new LinkedHashMap<>();
        chains.put(LICENSING, licensingAudit);
        chains.put(REPORTING, reportingAudit);
        chains.put(ENFORCEMENT, enforcementAudit);
        chains.put(NOTIFICATION, notificationAudit);
        return chains;
    }

    public MutinyAuditServiceStub audit(Caller c, String service) {
        MutinyAuditServiceStub stub = auditChains().get(service);
        if (stub == null) {
            throw ApiErrors.invalidArgument("service", "not one of " + auditChains().keySet() + " or gateway");
        }
        return as(c, stub);
    }
}
