package org.exportcontrol.platform.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.response.Response;

/**
 * The e-mails the platform sent, read from the local SMTP sink's API (GreenMail standalone, which
 * deploy/local/platform.sh starts; its API is on port 8025).
 */
public final class GreenMailApi {

    private GreenMailApi() {
    }

    /**
     * The messages in a recipient's INBOX: uid, messageId, subject, contentType, mimeMessage (raw).
     * GreenMail creates a mailbox at the first e-mail to an address; before that there is none.
     */
    public static List<Map<String, Object>> messages(String api, String address) {
        Response response = given().baseUri(api).when().get("/api/user/{address}/messages/INBOX", address);
        if (response.statusCode() != 200) {
            List<String> users = given().baseUri(api).when().get("/api/user")
                    .then().statusCode(200).extract().jsonPath().getList("email");
            if (users == null || !users.contains(address)) {
                return List.of();
            }
            throw new AssertionError("GreenMail answered " + response.statusCode() + " for " + address + ": " + response.asString());
        }
        return response.jsonPath().getList("$");
    }
}
