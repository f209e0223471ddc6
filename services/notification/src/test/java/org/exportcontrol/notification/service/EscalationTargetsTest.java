package org.exportcontrol.notification.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.notification.v1.AcknowledgementPolicy;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.api.notification.v1.RoleRecipient;
import org.junit.jupiter.api.Test;

/** Where escalations go by default, and the webhook signature's verification rules. */
class EscalationTargetsTest {

    private static Recipient role(String role, String jurisdiction, Department department) {
        return Recipient.newBuilder().setRole(RoleRecipient.newBuilder().setRole(role)
                .setJurisdiction(Jurisdiction.newBuilder().setCode(jurisdiction)).setDepartment(department)).build();
    }

    @Test
    void theSameRoleOneLevelUpAndAtTheNationalLevelTheCoordinator() {
        NotifyRequest provincial = NotifyRequest.newBuilder()
                .addRecipients(role("enforcement-officer", "360000", Department.DEPARTMENT_COMMERCE))
                .addRecipients(role("department-officer", "430000", Department.DEPARTMENT_CUSTOMS))
                .addRecipients(role("enforcement-officer", "430000", Department.DEPARTMENT_UNSPECIFIED))
                .build();
        assertEquals(List.of(role("enforcement-officer", "national", Department.DEPARTMENT_UNSPECIFIED),
                role("department-officer", "national", Department.DEPARTMENT_UNSPECIFIED)),
                NotificationService.escalationTargets(provincial), "one level up, any department, each once");

        NotifyRequest national = NotifyRequest.newBuilder()
                .addRecipients(role("enforcement-officer", "national", Department.DEPARTMENT_UNSPECIFIED))
                .addRecipients(Recipient.newBuilder().setUsername("jx-exporter")).build();
        assertEquals(List.of(NotificationService.nationalCoordinator()), NotificationService.escalationTargets(national));

        Recipient explicit = Recipient.newBuilder().setUsername("nat-coordinator").build();
        assertEquals(List.of(explicit), NotificationService.escalationTargets(provincial.toBuilder()
                .setAcknowledgement(AcknowledgementPolicy.newBuilder().setEscalationTarget(explicit)).build()));
    }

    @Test
    void aSignatureCoversTimestampAndBody() {
        byte[] body = "{\"title\":\"Suspected outflow\"}".getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign("s3cret", 1764316800L, body);
        assertTrue(signature.matches("v1=[0-9a-f]{64}"));
        assertTrue(WebhookSignature.verify("s3cret", "1764316800", body, signature));
        assertFalse(WebhookSignature.verify("other", "1764316800", body, signature));
        assertFalse(WebhookSignature.verify("s3cret", "1764316801", body, signature));
        assertFalse(WebhookSignature.verify("s3cret", "1764316800", "{\"title\":\"Nothing\"}".getBytes(StandardCharsets.UTF_8),
                signature));
        assertFalse(WebhookSignature.verify("s3cret", "1764316800", body, "v2=" + signature.substring(3)));
        assertFalse(WebhookSignature.verify("s3cret", "not-a-time", body, signature));
    }
}
