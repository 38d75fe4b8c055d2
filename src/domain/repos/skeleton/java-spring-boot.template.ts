/**
 * Java 21 + Spring Boot (Maven): a web app with GET /healthz and a MockMvc test of it. The jar is
 * always target/app.jar so the Dockerfile holds no names from the request.
 */
import { toYaml } from '../../pipelines/yaml-builder';
import { javaPackage } from './code-identifiers';
import type { StackSkeleton, TemplateInput } from './skeleton.types';
import { el, renderXml } from './xml-element';

const SPRING_BOOT_VERSION = '3.4.5';

export function javaSpringBootSkeleton({ request, context, names }: TemplateInput): StackSkeleton {
  const pkg = javaPackage(context.org, names.service);
  const groupId = pkg.slice(0, pkg.lastIndexOf('.'));
  const dir = pkg.replace(/\./g, '/');
  return {
    files: [
      { path: 'pom.xml', content: pom(groupId, names.artifact, names.service, request.description) },
      { path: `src/main/java/${dir}/Application.java`, content: application(pkg) },
      { path: `src/main/java/${dir}/HealthController.java`, content: healthController(pkg) },
      { path: `src/test/java/${dir}/HealthControllerTest.java`, content: healthControllerTest(pkg) },
      { path: 'src/main/resources/application.yaml', content: toYaml({ spring: { application: { name: names.service } }, server: { port: '${PORT:8080}' } }) },
      { path: 'Dockerfile', content: DOCKERFILE },
    ],
    commands: [
      { label: 'Test', command: 'mvn test' },
      { label: 'Run (http://localhost:8080/healthz)', command: 'mvn spring-boot:run' },
      { label: 'Container', command: 'docker build -t app . && docker run -p 8080:8080 app' },
    ],
    gitignore: ['target/', '*.class', '*.log', '.idea/', '*.iml', '.vscode/', '.DS_Store'],
    dockerignore: ['target/', '.git/', '.idea/', '*.iml'],
    tags: ['java', 'spring-boot'],
  };
}

function pom(groupId: string, artifactId: string, name: string, description: string): string {
  const dependency = (artifact: string, scope?: string) =>
    el('dependency', [el('groupId', 'org.springframework.boot'), el('artifactId', artifact), ...(scope ? [el('scope', scope)] : [])]);
  return renderXml(
    el(
      'project',
      [
        el('modelVersion', '4.0.0'),
        el('parent', [
          el('groupId', 'org.springframework.boot'),
          el('artifactId', 'spring-boot-starter-parent'),
          el('version', SPRING_BOOT_VERSION),
          el('relativePath'),
        ]),
        el('groupId', groupId),
        el('artifactId', artifactId),
        el('version', '0.1.0-SNAPSHOT'),
        el('name', name),
        el('description', description),
        el('properties', [el('java.version', '21')]),
        el('dependencies', [dependency('spring-boot-starter-web'), dependency('spring-boot-starter-test', 'test')]),
        el('build', [el('finalName', 'app'), el('plugins', [el('plugin', [el('groupId', 'org.springframework.boot'), el('artifactId', 'spring-boot-maven-plugin')])])]),
      ],
      {
        xmlns: 'http://maven.apache.org/POM/4.0.0',
        'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
        'xsi:schemaLocation': 'http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd',
      },
    ),
  );
}

// The Java sources hold one identifier from the request: the package, built from [a-z0-9_] only.
const application = (pkg: string) => `package ${pkg};

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class Application {

    public static void main(String[] args) {
        SpringApplication.run(Application.class, args);
    }
}
`;

const healthController = (pkg: string) => `package ${pkg};

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Liveness endpoint the platform probes. */
@RestController
public class HealthController {

    @GetMapping("/healthz")
    public Map<String, String> health() {
        return Map.of("status", "ok");
    }
}
`;

const healthControllerTest = (pkg: string) => `package ${pkg};

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(HealthController.class)
class HealthControllerTest {

    @Autowired
    private MockMvc mvc;

    @Test
    void healthzAnswersOk() throws Exception {
        mvc.perform(get("/healthz"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ok"));
    }
}
`;

const DOCKERFILE = `# Build with Maven, run on a JRE: the image carries no build tools.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp dependency:go-offline
COPY src ./src
RUN mvn -B -ntp package -DskipTests

FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=build /src/target/app.jar app.jar
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
`;
