package org.exportcontrol.enforcement.grpc;

import java.math.BigDecimal;

import jakarta.inject.Inject;

import org.exportcontrol.api.enforcement.v1.*;
import org.exportcontrol.enforcement.EnforcementAction;
import org.exportcontrol.enforcement.service.RuleBook;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Thin adapter over {@link RuleBook}. */
@GrpcService
@Authenticated
public class RuleGrpcService implements org.exportcontrol.api.enforcement.v1.RuleService {

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    RuleBook rules;

    @Override
    @WithSession
    public Uni<GetRuleSetResponse> getRuleSet(GetRuleSetRequest request) {
        access.require(EnforcementAction.RULES_READ); // role before input: no field errors for a caller without it
        String code = request.getJurisdiction().getCode();
        Validation v = new Validation();
        v.require("jurisdiction.code", code.isEmpty() || Jurisdiction.isValid(code), "is not a jurisdiction");
        v.require("version", request.getVersion() >= 0, "must not be negative");
        v.throwIfInvalid();
        Caller caller = access.caller();
        Jurisdiction of = code.isEmpty() ? caller.jurisdiction() : Jurisdiction.of(code);
        AccessControl.check(caller, EnforcementAction.RULES_READ, of);
        return rules.get(request.getVersion(), of.code()).map(s -> GetRuleSetResponse.newBuilder().setRuleSet(s).build());
    }

    @Override
    public Uni<PublishRuleSetResponse> publishRuleSet(PublishRuleSetRequest request) {
        national(EnforcementAction.RULES_PUBLISH); // role and level before input
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("changes", request.getChangesCount() > 0 && request.getChangesCount() <= 100, "1 to 100 changes");
        v.require("note", request.getNote().length() <= 4000, "at most 4000 characters");
        for (int i = 0; i < request.getChangesCount(); i++) {
            ThresholdChange c = request.getChanges(i);
            v.require("changes[" + i + "].code", !c.getCode().isBlank(), "is required");
            v.require("changes[" + i + "].window_hours", c.getWindowHours() >= 0 && c.getWindowHours() <= 8784,
                    "0 (unchanged) to 8784");
            v.require("changes[" + i + "]", !c.getThreshold().isEmpty() || c.getWindowHours() > 0
                    || !c.getParameter().isEmpty(), "changes nothing");
        }
        v.throwIfInvalid();
        Caller caller = national(EnforcementAction.RULES_PUBLISH);
        return idempotency.once(caller.subject(), "rules.publish", request.getRequestId(), request,
                PublishRuleSetResponse.parser(),
                () -> rules.publish(caller, request.getChangesList(), request.getNote(), request.getRequestId())
                        .map(s -> PublishRuleSetResponse.newBuilder().setRuleSet(s).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<TightenThresholdResponse> tightenThreshold(TightenThresholdRequest request) {
        access.require(EnforcementAction.RULES_TIGHTEN); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("jurisdiction.code", Jurisdiction.isValid(request.getJurisdiction().getCode()), "is not a jurisdiction");
        v.require("code", !request.getCode().isBlank(), "is required");
        BigDecimal threshold = decimal(v, "threshold", request.getThreshold());
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.RULES_TIGHTEN, Jurisdiction.of(request.getJurisdiction().getCode()));
        return idempotency.once(caller.subject(), "rules.tighten", request.getRequestId(), request,
                TightenThresholdResponse.parser(),
                () -> rules.tighten(caller, Jurisdiction.of(request.getJurisdiction().getCode()), request.getCode(),
                        threshold, request.getRequestId()).map(r -> TightenThresholdResponse.newBuilder().setRule(r).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<SetReferencePriceResponse> setReferencePrice(SetReferencePriceRequest request) {
        national(EnforcementAction.REFERENCE_PRICE_SET); // role and level before input
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("item_code", !request.getItemCode().isBlank() && request.getItemCode().length() <= 64,
                "is required (at most 64 characters)");
        BigDecimal amount = v.positiveDecimal("unit_price.amount", request.getUnitPrice().getAmount());
        v.require("unit_price.currency_code", request.getUnitPrice().getCurrencyCode().matches("[A-Z]{3}"),
                "must be an ISO 4217 code");
        v.throwIfInvalid();
        Caller caller = national(EnforcementAction.REFERENCE_PRICE_SET);
        return idempotency.once(caller.subject(), "reference-price.set", request.getRequestId(), request,
                SetReferencePriceResponse.parser(),
                () -> rules.setReferencePrice(caller, request.getItemCode(), amount,
                        request.getUnitPrice().getCurrencyCode(), request.getRequestId()))
                .map(Idempotency.Result::response);
    }

    /** The action's role at the national level only. */
    private Caller national(EnforcementAction action) {
        Caller caller = access.require(action);
        if (!caller.jurisdiction().isNational()) {
            throw ApiErrors.permissionDenied("NATIONAL_LEVEL_ONLY",
                    "%s is taken at the national level only".formatted(action.actionName()));
        }
        return caller;
    }

    private static BigDecimal decimal(Validation v, String field, String value) {
        try {
            BigDecimal d = new BigDecimal(value);
            v.require(field, d.signum() >= 0, "must not be negative");
            return d;
        } catch (NumberFormatException e) {
            v.add(field, "must be a decimal number such as \"48\"");
            return null;
        }
    }
}
