package org.exportcontrol.enforcement;

import org.exportcontrol.platform.testing.ServiceBootContract;

import io.quarkus.test.junit.QuarkusTest;

/** enforcement-coordination boots against PostgreSQL and Keycloak and serves what every platform service serves. */
@QuarkusTest
class EnforcementCoordinationBootTest extends ServiceBootContract {
}
