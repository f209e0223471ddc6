package org.exportcontrol.faults;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.response.Response;

/** The e-mails the platform sent, read from the local SMTP sink's API (GreenMail standalone, port 8025). */
final class Mailbox {

    private Mailbox() {
    }

    /**
     * The messages in a recipient's INBOX: uid, messageId, subject, contentType, mimeMessage (raw).
     * GreenMail creates a mailbox at the first e-mail to an address; before that there is none.
     */
    static List<Map<String, Object>> messages(String address) {
        Response response = given().baseUri(FaultPlatform.MAIL_API).when().get("/api/user/{address}/messages/INBOX", address);
        if (response.statusCode() != 200) {
            List<String> users = given().baseUri(FaultPlatform.MAIL_API).when().get("/api/user")
                    .then().statusCode(200).extract().jsonPath().getList("email");
            if (users == null || !users.contains(address)) {
                return List.of();
            }
            throw new AssertionError("GreenMail answered " + response.statusCode() + " for " + address + ": " + response.asString());
        }
        return response.jsonPath().getList("$");
    }
}
