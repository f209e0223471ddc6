package org.exportcontrol.reporting;

import org.exportcontrol.platform.testing.ServiceBootContract;

import io.quarkus.test.junit.QuarkusTest;

/** provincial-reporting boots against PostgreSQL and Keycloak and serves what every platform service serves. */
@QuarkusTest
class ProvincialReportingBootTest extends ServiceBootContract {
}
