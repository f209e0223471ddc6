package org.exportcontrol.licensing;

import org.exportcontrol.platform.testing.ServiceBootContract;

import io.quarkus.test.junit.QuarkusTest;

/** licensing boots against PostgreSQL and Keycloak and serves what every platform service serves. */
@QuarkusTest
class LicensingBootTest extends ServiceBootContract {
}
