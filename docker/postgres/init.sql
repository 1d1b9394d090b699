-- One database per app, so their migrations never meet. Runs once, on an empty volume.
CREATE DATABASE exchange;
CREATE DATABASE users;
CREATE DATABASE chat;
CREATE DATABASE urlshortener;
