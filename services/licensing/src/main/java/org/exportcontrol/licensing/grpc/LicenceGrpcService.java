package org.exportcontrol.licensing.grpc;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.licensing.v1.*;
import org.exportcontrol.licensing.LicensingAction;
import org.exportcontrol.licensing.service.LicenceService;
import org.exportcontrol.licensing.service.Scopes;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.identifiers.Countries;
import org.exportcontrol.platform.identifiers.CreditCode;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Thin adapter over {@link LicenceService}. */
@GrpcService
@Authenticated
public class LicenceGrpcService implements org.exportcontrol.api.licensing.v1.LicenceService {

    private static final String LIST = "licences";

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    LicenceService licences;

    @Override
    @WithSession
    public Uni<GetLicenceResponse> getLicence(GetLicenceRequest request) {
        Caller caller = access.require(LicensingAction.LICENCE_READ);
        return licences.get(caller, request.getNumber()).map(l -> GetLicenceResponse.newBuilder().setLicence(l).build());
    }

    @Override
    @WithSession
    public Uni<ListLicencesResponse> listLicences(ListLicencesRequest request) {
        Caller caller = access.require(LicensingAction.LICENCE_READ);
        int size = Paging.pageSize(request.getPageSize());
        String after = Paging.position(LIST, request.getPageToken());
        return licences.list(caller, after == null ? "" : after, size + 1).map(list -> {
            ListLicencesResponse.Builder b = ListLicencesResponse.newBuilder();
            list.stream().limit(size).forEach(b::addLicences);
            if (list.size() > size) {
                b.setNextPageToken(Paging.token(LIST, list.get(size - 1).getNumber()));
            }
            return b.build();
        });
    }

    @Override
    public Uni<CheckAndDecrementResponse> checkAndDecrement(CheckAndDecrementRequest request) {
        access.require(LicensingAction.LICENCE_USE); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("declaration_id", request.getDeclarationId());
        v.require("licence_number", !request.getLicenceNumber().isBlank(), "is required");
        String codeProblem = CreditCode.problem(request.getExporterCreditCode());
        v.require("exporter_credit_code", codeProblem == null, codeProblem);
        v.require("item.item_code", !request.getItem().getItemCode().isBlank(), "is required");
        v.positiveDecimal("quantity.value", request.getQuantity().getValue());
        v.require("quantity.unit", request.getQuantity().getUnit() != QuantityUnit.QUANTITY_UNIT_UNSPECIFIED
                && request.getQuantity().getUnit() != QuantityUnit.UNRECOGNIZED, "is required");
        v.require("destination_country_code", Countries.isValid(request.getDestinationCountryCode()),
                "must be an ISO 3166-1 alpha-2 code");
        v.throwIfInvalid();
        Caller caller = access.require(LicensingAction.LICENCE_USE);
        return idempotency.once(caller.subject(), "licence.check-and-decrement", request.getDeclarationId(), request,
                CheckAndDecrementResponse.parser(), () -> licences.checkAndDecrement(caller, request))
                .map(r -> r.replayed() ? r.response().toBuilder().setDuplicate(true).build() : r.response());
    }

    @Override
    public Uni<CancelDeclarationResponse> cancelDeclaration(CancelDeclarationRequest request) {
        access.require(LicensingAction.LICENCE_USE); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.requestId("declaration_id", request.getDeclarationId());
        v.throwIfInvalid();
        Caller caller = access.require(LicensingAction.LICENCE_USE);
        return idempotency.once(caller.subject(), "licence.cancel-declaration", request.getRequestId(), request,
                CancelDeclarationResponse.parser(),
                () -> licences.cancelDeclaration(caller, request.getDeclarationId(), request.getRequestId()))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<RequestLicenceSuspensionResponse> requestLicenceSuspension(RequestLicenceSuspensionRequest request) {
        access.require(LicensingAction.LICENCE_SUSPEND); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("licence_number", !request.getLicenceNumber().isBlank(), "is required");
        v.require("case_id", !request.getCaseId().isBlank(), "is required");
        v.require("reason", !request.getReason().isBlank() && request.getReason().length() <= 4000,
                "is required (at most 4000 characters)");
        v.throwIfInvalid();
        Caller caller = access.require(LicensingAction.LICENCE_SUSPEND);
        return idempotency.once(caller.subject(), "licence.suspend", request.getRequestId(), request,
                RequestLicenceSuspensionResponse.parser(),
                () -> licences.requestSuspension(caller, request.getLicenceNumber(), request.getCaseId(),
                        request.getReason(), request.getRevocationRequested(), request.getRequestId())
                        .map(l -> RequestLicenceSuspensionResponse.newBuilder().setLicence(l).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<DecideLicenceSuspensionResponse> decideLicenceSuspension(DecideLicenceSuspensionRequest request) {
        Scopes.national(access.caller(), LicensingAction.LICENCE_DECIDE_SUSPENSION); // role and level before input
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("licence_number", !request.getLicenceNumber().isBlank(), "is required");
        v.require("reasons", !request.getReasons().isBlank() && request.getReasons().length() <= 4000,
                "is required (at most 4000 characters)");
        v.throwIfInvalid();
        Caller caller = access.caller();
        Scopes.national(caller, LicensingAction.LICENCE_DECIDE_SUSPENSION);
        return idempotency.once(caller.subject(), "licence.decide-suspension", request.getRequestId(), request,
                DecideLicenceSuspensionResponse.parser(),
                () -> licences.decideSuspension(caller, request.getLicenceNumber(), request.getRevoke(),
                        request.getReasons(), request.getRequestId())
                        .map(l -> DecideLicenceSuspensionResponse.newBuilder().setLicence(l).build()))
                .map(Idempotency.Result::response);
    }
}
