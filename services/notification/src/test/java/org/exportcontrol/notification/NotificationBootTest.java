package org.exportcontrol.notification;

import org.exportcontrol.platform.testing.ServiceBootContract;

import io.quarkus.test.junit.QuarkusTest;

/** notification boots against PostgreSQL and Keycloak and serves what every platform service serves. */
@QuarkusTest
class NotificationBootTest extends ServiceBootContract {
}
